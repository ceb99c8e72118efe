// The offsets to commit, and the timer that commits them at most every commitIntervalMs.
import type { Logger } from '@nestjs/common';
import type { TopicPartitionOffsetAndMetadata } from 'kafkajs';

/**
 * Offsets are committed only for messages whose effect (or dead-lettering) was committed, at most
 * every `intervalMs` (and on stop): a crash redelivers what came after the last commit, and the
 * inbox absorbs that. kafkajs' autoCommit would commit after every fetched batch: under load,
 * the biggest share of the broker's requests.
 */
export class OffsetCommits {
  /** Per partition, the next offset to commit: everything before it was handled. */
  private readonly uncommitted = new Map<string, TopicPartitionOffsetAndMetadata>();
  private timer?: NodeJS.Timeout;
  private lastCommit = 0;

  constructor(
    private readonly intervalMs: number,
    /** Commits on the group member (nothing when there is none). */
    private readonly commit: (offsets: TopicPartitionOffsetAndMetadata[]) => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  /** Records that everything up to `offset` on the partition was handled, and schedules the commit. */
  handledUpTo(topic: string, partition: number, offset: string): void {
    this.uncommitted.set(`${topic}:${partition}`, { topic, partition, offset: (BigInt(offset) + 1n).toString() });
    if (this.timer) return;
    const wait = Math.max(0, this.lastCommit + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.commitNow();
    }, wait);
  }

  /** Cancels the scheduled commit (stopping: commitNow follows). */
  cancelTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  async commitNow(): Promise<void> {
    const offsets = [...this.uncommitted.values()];
    this.uncommitted.clear();
    this.lastCommit = Date.now();
    if (offsets.length === 0) return;
    try {
      await this.commit(offsets);
    } catch (error) {
      // A rebalance or a lost connection: those messages come again (to this consumer or
      // another), and the inbox absorbs them. A later commit of the partition moves it on.
      this.logger.warn({ err: String(error) }, 'offset commit failed; the messages since the last commit will be delivered again');
    }
  }
}
