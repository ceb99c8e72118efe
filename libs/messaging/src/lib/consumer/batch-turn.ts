// A fetched batch's turn: each message read and checked, the batch split into runs that share a
// transaction, poison dead-lettered in its place, offsets resolved as the runs are handled.
import { Headers } from '@shop/contracts';
import type { EachBatchPayload } from 'kafkajs';
import { decodeEnvelope, headerStrings, type Envelope } from '../envelope/envelope';
import { MessageValidator } from '../envelope/message-validator';
import { isForged } from '../errors';
import { DeliveryPaused, type DatabaseOutage } from './database-outage';
import type { DeadLetterSender } from './dead-letter';
import type { BatchTurn, Delivery, Registered, ReportOutcome } from './delivery';
import type { OffsetCommits } from './offset-commits';
import { assertOnItsTopic } from './topic-binding';

export interface BatchTurnsOptions {
  /** The handler registered for a `type@version`, if any. */
  route: (envelope: Envelope) => Registered | undefined;
  /** At most this many messages share a transaction. */
  maxMessagesPerTransaction: number;
  /** Handles a run of deliveries of one partition (BatchTransaction). */
  handleRun: (run: Delivery[], turn: BatchTurn) => Promise<void>;
  outage: DatabaseOutage;
  deadLetters: DeadLetterSender;
  offsets: OffsetCommits;
  report: ReportOutcome;
}

/**
 * Each delivery is decoded, routed by type and version (a type or version this consumer does
 * not handle rides along in the run and is only reported), checked to have come on the topic its
 * contract names (elsewhere it is forged) and validated against its contract. Poison and
 * forgeries end a run and are dead-lettered in their place in the order; so does the size limit.
 * Stopping, a rebalance or an open breaker leave the rest of the batch unresolved: it comes again.
 */
export class BatchTurns {
  private readonly validator = new MessageValidator();

  constructor(private readonly options: BatchTurnsOptions) {}

  async deliver({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { outage, deadLetters, report } = this.options;
    const { topic, partition } = batch;
    const turn: BatchTurn = { heartbeat, stillOurs: () => isRunning() && !isStale() };
    const done = (offset: string) => {
      resolveOffset(offset);
      this.options.offsets.handledUpTo(topic, partition, offset);
    };
    let run: Delivery[] = [];
    const flush = async () => {
      if (run.length === 0) return;
      await outage.admit();
      await this.options.handleRun(run, turn);
      done(run[run.length - 1].message.offset);
      run = [];
      await heartbeat();
    };
    try {
      for (const message of batch.messages) {
        // Stopping, rebalancing or paused: leave the rest unresolved, it comes again.
        if (!turn.stillOurs() || outage.open) return;
        const started = performance.now();
        let envelope: Envelope;
        let registered: Registered | undefined;
        try {
          envelope = decodeEnvelope(message);
          // Route before validating: a type or version this consumer does not handle (another
          // consumer's on a shared topic, or a newer producer's) is ignored, not poison. Only
          // what it handles must match its contract, and come on its contract's topic.
          registered = this.options.route(envelope);
          if (registered) {
            assertOnItsTopic(registered.definition, topic);
            this.validator.validate(envelope);
          }
        } catch (error) {
          await flush();
          await deadLetters.deadLetter(topic, partition, message, error, 0);
          done(message.offset);
          report(isForged(error) ? 'forged' : 'dead_lettered', headerStrings(message)[Headers.type] ?? 'unknown', started, topic);
          continue;
        }
        run.push({ topic, partition, message, envelope, registered, started });
        if (run.length >= outage.runLimit(this.options.maxMessagesPerTransaction)) await flush();
      }
      if (turn.stillOurs()) await flush();
    } catch (error) {
      // Unresolved, so the messages come again once the breaker lets work through (the breaker logs its changes).
      if (!(error instanceof DeliveryPaused)) throw error;
    }
  }
}
