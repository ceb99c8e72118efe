import { treeTicks } from './cpu';

describe('CPU from /proc', () => {
  it('adds up a process and its live descendants, not its siblings', () => {
    const processes = [
      { pid: 1, ppid: 0, ticks: 1000 },
      { pid: 10, ppid: 1, ticks: 5 }, // postmaster
      { pid: 11, ppid: 10, ticks: 7 }, // backend
      { pid: 12, ppid: 11, ticks: 1 }, // a backend's child
      { pid: 20, ppid: 1, ticks: 99 }, // another program
    ];
    expect(treeTicks(processes, 10)).toBe(13);
    expect(treeTicks(processes, 404)).toBe(0);
  });
});
