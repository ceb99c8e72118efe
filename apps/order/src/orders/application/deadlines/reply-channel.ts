/** What the deadline watcher knows about the way replies come back (see ReplyChannel.check). */
export interface ReplyChannelState {
  /** Kafka answers and this process's consumer has joined its group. */
  open: boolean;
  /** Epoch ms since when it has been open without a break, as far as this process saw; null until it first opened. */
  openSince: number | null;
}

/**
 * Whether the saga can hear its participants right now: Kafka answers and this process's
 * consumer has joined its group. While it cannot (a broker outage, or this service still
 * starting), a participant's silence says nothing about the participant, so the deadline
 * watcher gives up on no step; once it can again, the clocks of the steps in flight restart
 * from then. Checked at most once per `recheckMs` (one small Kafka request).
 */
export class ReplyChannel {
  private last: { at: number; open: boolean } = { at: Number.NEGATIVE_INFINITY, open: false };
  private openSince: number | null = null;

  constructor(
    private readonly kafkaAnswers: () => Promise<boolean>,
    private readonly consumerJoined: () => boolean,
    private readonly recheckMs = 1000,
  ) {}

  async check(now: number): Promise<ReplyChannelState> {
    if (now - this.last.at >= this.recheckMs) {
      const open = this.consumerJoined() && (await this.kafkaAnswers());
      if (open && !this.last.open) this.openSince = now;
      this.last = { at: now, open };
    }
    return { open: this.last.open, openSince: this.last.open ? this.openSince : null };
  }
}
