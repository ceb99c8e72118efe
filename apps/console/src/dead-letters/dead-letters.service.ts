import { Inject, Injectable, NotFoundException, UnprocessableEntityException, type OnModuleDestroy } from '@nestjs/common';
import type { DeadLetterList, DeadLetterRow, ReplayRequest, ReplayResult } from '@shop/console-api';
import { consoleKafkaAccess, DeadLetterQueue, NotReplayableError, replayedMessage, summarizeDeadLetter, type DeadLetterRecord } from '@shop/messaging';
import { CONSOLE_CONFIG } from '../console-config.token';
import type { ConsoleConfig } from '../config';

interface TopicRead {
  /** The partitions' end offsets when it was read: the same ends mean the same messages. */
  ends: string;
  records: DeadLetterRecord[];
}

/**
 * The dead letters of every DLQ topic the console's Kafka principal may read, and their replay,
 * through libs/messaging's DeadLetterQueue (the one `npm run dlq` uses). A topic is read again
 * only when its end offsets moved: the page polls, and reading a topic takes a consumer group.
 */
@Injectable()
export class DeadLettersService implements OnModuleDestroy {
  readonly topics = consoleKafkaAccess().reads;
  private readonly queue: DeadLetterQueue | null;
  private readonly reads = new Map<string, TopicRead>();
  /** What this console replayed since it started, by dlqTopic/partition/offset. */
  private readonly replayed = new Map<string, string>();
  /** One refresh at a time: two pages polling at once share it. */
  private refreshing?: Promise<void>;

  constructor(@Inject(CONSOLE_CONFIG) config: ConsoleConfig) {
    this.queue = config.KAFKA_SASL_PASSWORD
      ? new DeadLetterQueue(
          {
            brokers: config.KAFKA_BROKERS,
            sasl: {
              username: config.KAFKA_SASL_USERNAME,
              password: config.KAFKA_SASL_PASSWORD,
            },
            tls: config.KAFKA_SECURITY_PROTOCOL === 'SASL_SSL',
          },
          {
            clientId: 'console',
            groupPrefix: consoleKafkaAccess().group.replace(/-$/, ''),
            readTimeoutMs: 10_000,
          },
        )
      : null;
  }

  async list(): Promise<DeadLetterList> {
    const now = new Date().toISOString();
    if (!this.queue)
      return {
        now,
        error: 'Kafka is not configured: set KAFKA_SASL_PASSWORD (and KAFKA_BROKERS, KAFKA_SASL_USERNAME) for the console',
        topics: [],
      };
    try {
      await this.refresh();
    } catch (error) {
      return { now, error: `Kafka: ${(error as Error).message}`, topics: [] };
    }
    return {
      now,
      error: null,
      topics: this.topics.map((topic) => ({
        topic,
        letters: (this.reads.get(topic)?.records ?? []).map((r) => this.row(r)),
      })),
    };
  }

  /**
   * Republishes one dead letter to the topic its DLQ belongs to, as `npm run dlq -- replay <topic> --offset N`
   * does; a record whose header names another topic is refused (422), and nothing is sent.
   */
  async replay(request: ReplayRequest): Promise<ReplayResult> {
    if (!this.queue)
      throw new NotFoundException({
        type: 'about:blank',
        title: 'Kafka not configured',
        status: 404,
        detail: 'the console has no Kafka credentials',
      });
    await this.refresh();
    const record = this.reads.get(request.dlqTopic)?.records.find((r) => r.partition === request.partition && r.offset === request.offset);
    if (!record)
      throw new NotFoundException({
        type: 'about:blank',
        title: 'No such dead letter',
        status: 404,
        detail: `${request.dlqTopic} has no message at partition ${request.partition}, offset ${request.offset}`,
      });
    assertReplayable(record);
    const { topic } = await this.queue.replay(record);
    const replayedAt = new Date().toISOString();
    this.replayed.set(keyOf(record), replayedAt);
    return { originalTopic: topic, replayedAt };
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue?.close();
  }

  private refresh(): Promise<void> {
    this.refreshing ??= this.readChanged().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async readChanged(): Promise<void> {
    const queue = this.queue;
    if (!queue) return;
    const all = await queue.endsOf(this.topics);
    for (const topic of this.topics) {
      const ends = JSON.stringify([...(all.get(topic) ?? [])].map(([p, e]) => [p, String(e.low), String(e.high)]));
      if (this.reads.get(topic)?.ends === ends) continue;
      this.reads.set(topic, { ends, records: await queue.readAll(topic) });
    }
  }

  private row(record: DeadLetterRecord): DeadLetterRow {
    return {
      ...summarizeDeadLetter(record),
      replayedAt: this.replayed.get(keyOf(record)) ?? null,
    };
  }
}

/** A dead letter that may not be replayed (see replayedMessage) is a 422 that says why. */
export function assertReplayable(record: DeadLetterRecord): void {
  try {
    replayedMessage(record);
  } catch (error) {
    if (!(error instanceof NotReplayableError)) throw error;
    throw new UnprocessableEntityException({ type: 'about:blank', title: 'Not replayable', status: 422, detail: error.message });
  }
}

const keyOf = (r: { dlqTopic: string; partition: number; offset: string }) => `${r.dlqTopic}/${r.partition}/${r.offset}`;
