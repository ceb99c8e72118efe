import { parseStat, processTree } from './process-trees';

describe('process trees from /proc', () => {
  it('reads pid, ppid and utime+stime+cutime+cstime, even when the command name holds spaces and parentheses', () => {
    const line = '4242 (postgres: (x) y) S 4200 4242 4242 0 -1 4194560 100 0 0 0 11 22 33 44 20 0 1 0 500 1000 100';
    expect(parseStat(line)).toEqual({ pid: 4242, ppid: 4200, ticks: 11 + 22 + 33 + 44 });
  });

  it('takes a process and its live descendants, not its siblings; nothing for a process that is gone', () => {
    const processes = [
      { pid: 1, ppid: 0, ticks: 1000 },
      { pid: 10, ppid: 1, ticks: 5 }, // postmaster
      { pid: 11, ppid: 10, ticks: 7 }, // backend
      { pid: 12, ppid: 11, ticks: 1 }, // a backend's child
      { pid: 20, ppid: 1, ticks: 99 }, // another program
    ];
    expect(processTree(processes, 10).map((p) => p.pid).sort((a, b) => a - b)).toEqual([10, 11, 12]);
    expect(processTree(processes, 404)).toEqual([]);
  });
});
