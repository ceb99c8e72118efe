import type { Logger } from '@nestjs/common';
import { OffsetCommits } from './offset-commits';

describe('OffsetCommits', () => {
  beforeEach(() => jest.useFakeTimers({ now: 10_000 }));
  afterEach(() => jest.useRealTimers());

  const setUp = (commit = jest.fn().mockResolvedValue(undefined)) => {
    const warn = jest.fn();
    return { commit, warn, offsets: new OffsetCommits(500, commit, { warn } as unknown as Logger) };
  };

  it('commits the offset after the last handled one, per partition, at most every interval', async () => {
    const { commit, offsets } = setUp();
    offsets.handledUpTo('t', 0, '5');
    offsets.handledUpTo('t', 0, '6');
    offsets.handledUpTo('t', 1, '2');
    await jest.advanceTimersByTimeAsync(0);
    expect(commit).toHaveBeenCalledTimes(1);
    expect(commit).toHaveBeenLastCalledWith([
      { topic: 't', partition: 0, offset: '7' },
      { topic: 't', partition: 1, offset: '3' },
    ]);

    offsets.handledUpTo('t', 0, '9');
    await jest.advanceTimersByTimeAsync(499);
    expect(commit).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(commit).toHaveBeenCalledTimes(2);
    expect(commit).toHaveBeenLastCalledWith([{ topic: 't', partition: 0, offset: '10' }]);
  });

  it('commits nothing when nothing was handled, and nothing on a cancelled timer until commitNow', async () => {
    const { commit, offsets } = setUp();
    await offsets.commitNow();
    expect(commit).not.toHaveBeenCalled();
    offsets.handledUpTo('t', 0, '1');
    offsets.cancelTimer();
    await jest.advanceTimersByTimeAsync(1000);
    expect(commit).not.toHaveBeenCalled();
    await offsets.commitNow();
    expect(commit).toHaveBeenCalledWith([{ topic: 't', partition: 0, offset: '2' }]);
  });

  it('logs a failed commit and does not retry it (the messages come again)', async () => {
    const { commit, warn, offsets } = setUp(jest.fn().mockRejectedValue(new Error('rebalancing')));
    offsets.handledUpTo('t', 0, '1');
    await offsets.commitNow();
    expect(warn).toHaveBeenCalledWith({ err: 'Error: rebalancing' }, 'offset commit failed; the messages since the last commit will be delivered again');
    await offsets.commitNow();
    expect(commit).toHaveBeenCalledTimes(1);
  });
});
