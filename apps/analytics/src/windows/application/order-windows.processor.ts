import { Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { OrderConfirmedV2, OrderWindowUpdatedV1 } from '@shop/contracts';
import { deadLetterRecord, stateAccess, TransactionalProcessor, type BatchResult, type ConsumedBatch, type KafkaConnection, type OutgoingRecord, type ProcessorStatus } from '@shop/messaging';
import { Counter, Gauge, type Registry } from 'prom-client';
import { OrderWindows, type OrderFact, type OrderWindow } from '../domain/order-windows';
import { OrderFactReader } from './order-facts';
import { readWindowRecord, windowRecord } from './window-records';

export const SERVICE = 'analytics';

export interface OrderWindowsOptions {
  kafka: KafkaConnection;
  graceMs: number;
  /** For a replay beside the service (tests): a group, transactional id and output topic of its own; default the service's. */
  groupId?: string;
  transactionalId?: string;
  restoreGroupPrefix?: string;
  outputTopic?: string;
}

/**
 * The service's work: order events in, windows out, exactly once (TransactionalProcessor: a
 * batch's changed windows and its offsets in one transaction). Holds the windows as committed:
 * what the API answers with.
 */
export class OrderWindowsProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OrderWindows');
  private readonly reader = new OrderFactReader();
  private readonly processor: TransactionalProcessor;
  private windows: OrderWindows;
  private readonly events: Counter<'outcome'>;
  private readonly transactions: Counter;
  private readonly outputTopic: string;

  constructor(
    private readonly options: OrderWindowsOptions,
    registry: Registry,
  ) {
    this.windows = new OrderWindows({ graceMs: options.graceMs, partitions: 1 });
    this.outputTopic = options.outputTopic ?? OrderWindowUpdatedV1.topic;
    this.events = new Counter({ name: 'shop_analytics_events_total', help: 'Order events read by analytics, by outcome (counted, too_late, skipped, dead_lettered)', labelNames: ['outcome'], registers: [registry] });
    this.transactions = new Counter({ name: 'shop_analytics_transactions_total', help: 'Kafka transactions committed by analytics (one per consumed batch)', registers: [registry] });
    const openWindows = () => this.windows.openWindows();
    new Gauge({
      name: 'shop_analytics_open_windows',
      help: 'Windows not final yet (committed state)',
      registers: [registry],
      collect() {
        this.set(openWindows());
      },
    });
    const state = stateAccess(SERVICE, [OrderWindowUpdatedV1.topic]);
    this.processor = new TransactionalProcessor({
      ...options.kafka,
      clientId: SERVICE,
      groupId: options.groupId ?? SERVICE,
      transactionalId: options.transactionalId ?? state.transactionalId,
      topics: [OrderConfirmedV2.topic],
      state: { topic: this.outputTopic, groupPrefix: options.restoreGroupPrefix ?? state.groupPrefix },
      reset: (partitions) => {
        this.windows = new OrderWindows({ graceMs: options.graceMs, partitions: partitions.get(OrderConfirmedV2.topic) ?? 1 });
      },
      restore: (messages) => {
        for (const message of messages) {
          const { window, streamTimes } = readWindowRecord(message);
          this.windows.restore(window, streamTimes);
        }
      },
      process: (batch) => this.process(batch),
      onCommitted: () => this.transactions.inc(),
    });
  }

  onApplicationBootstrap(): void {
    this.processor.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.processor.stop();
  }

  status(): ProcessorStatus {
    return this.processor.status();
  }

  /** The committed windows starting in [from, to), oldest first. */
  between(from: number, to: number): OrderWindow[] {
    return this.windows.between(from, to);
  }

  openWindows(): number {
    return this.windows.openWindows();
  }

  private process(batch: ConsumedBatch): BatchResult {
    const facts: OrderFact[] = [];
    const deadLetters: OutgoingRecord[] = [];
    let skipped = 0;
    for (const message of batch.messages) {
      const reading = this.reader.read(message);
      if ('fact' in reading) facts.push(reading.fact);
      else if ('skipped' in reading) skipped++;
      else {
        this.logger.error({ topic: batch.topic, partition: batch.partition, offset: message.offset, err: reading.poison.message }, `dead-lettering an unreadable message`);
        deadLetters.push(deadLetterRecord(batch.topic, message, SERVICE, reading.poison));
      }
    }
    const windows = this.windows;
    const changes = windows.apply(facts);
    return {
      records: [...changes.windows.map((w) => ({ ...windowRecord(w, changes.streamTimes), topic: this.outputTopic })), ...deadLetters],
      afterCommit: () => {
        windows.accept(changes);
        this.events.inc({ outcome: 'counted' }, changes.counted);
        this.events.inc({ outcome: 'too_late' }, changes.tooLate);
        this.events.inc({ outcome: 'skipped' }, skipped);
        this.events.inc({ outcome: 'dead_lettered' }, deadLetters.length);
      },
    };
  }
}
