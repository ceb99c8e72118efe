import {
  Controller,
  Global,
  Injectable,
  Module,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type INestApplication,
  type NestInterceptor,
  type PipeTransform,
} from '@nestjs/common';
import { BaseRpcExceptionFilter, Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReleaseStockV1, ReserveStockV1, StockReservedV1 } from '@shop/contracts';
import { infra, queryDatabase, recreateDatabase, waitFor } from '@shop/testing';
import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import type { Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import {
  causedBy,
  connectMessaging,
  createEnvelope,
  DeadLetterHeaders,
  deadLetterTopic,
  decodeEnvelope,
  encodeEnvelope,
  ensureTopics,
  headerStrings,
  MessageContext,
  MessagingModule,
  messagingMigrations,
  NonRetryableError,
  OutboxWriter,
  patternOf,
  type Envelope,
} from '../../src';
import { readDeadLetters } from './support/dead-letters';

// This run's own topics, so nothing else on the broker reaches the handlers.
const run = randomUUID();
const Reserve = { ...ReserveStockV1, topic: `test.nest.commands.${run}` };
const Release = { ...ReleaseStockV1, topic: Reserve.topic };
const Events = { ...StockReservedV1, topic: `test.nest.events.${run}` };

/** Counts the messages that went through the Nest pipeline, by handler, and checks what it is given. */
@Injectable()
class CountingInterceptor implements NestInterceptor {
  readonly seen: string[] = [];

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const ctx = context.switchToRpc().getContext<unknown>();
    if (context.getType() === 'rpc' && ctx instanceof MessageContext) this.seen.push(`${context.getHandler().name}:${ctx.envelope.subject}`);
    return next.handle();
  }
}

/** Turns the command into what the handler needs: the order and how many units it reserves. */
class UnitsPipe implements PipeTransform<ReserveStockV1, { orderId: string; units: number }> {
  transform(command: ReserveStockV1) {
    return { orderId: command.orderId, units: command.lines.reduce((sum, l) => sum + l.quantity, 0) };
  }
}

/** The attempts each ReleaseStock delivery was handled at, by order id. */
const attempts = new Map<string, number[]>();
/** What the failing handler threw, to compare with what the consumer dead-lettered. */
const thrown: Error[] = [];

@Controller()
@UseInterceptors(CountingInterceptor)
class StockHandlers {
  constructor(private readonly outbox: OutboxWriter) {}

  /** Runs in the delivery's transaction and replies through the outbox; its payload is the pipe's output. */
  @EventPattern(patternOf(Reserve))
  async reserve(@Payload(UnitsPipe) order: { orderId: string; units: number }, @Ctx() ctx: MessageContext): Promise<void> {
    await ctx.manager.query('INSERT INTO effect (order_id, units) VALUES ($1, $2)', [order.orderId, order.units]);
    const command = ctx.envelope.data as ReserveStockV1;
    await this.outbox.add(ctx.manager, Events, { orderId: order.orderId, lines: command.lines }, causedBy(ctx.envelope));
  }

  /** Fails for ever (`fatal-*`), or once (`flaky-*`, then handled at the next attempt). */
  @EventPattern(patternOf(Release))
  async release(@Payload() command: ReleaseStockV1, @Ctx() ctx: MessageContext): Promise<void> {
    attempts.set(command.orderId, [...(attempts.get(command.orderId) ?? []), ctx.attempt]);
    await ctx.manager.query('INSERT INTO effect (order_id, units) VALUES ($1, 0)', [command.orderId]);
    if (command.orderId.startsWith('fatal-')) {
      const error = new NonRetryableError(`order ${command.orderId} can never be released`);
      thrown.push(error);
      throw error;
    }
    if (command.orderId.startsWith('flaky-') && ctx.attempt === 1) throw new Error('transient failure');
  }
}

const registry = new Registry();

/** Stands in for PlatformModule, which provides the app's metrics registry globally. */
@Global()
@Module({ providers: [{ provide: Registry, useValue: registry }], exports: [Registry] })
class MetricsRegistryModule {}

/**
 * MessagingModule and its transport in a Nest application: the @EventPattern handlers found and
 * run through Nest's pipeline (interceptor, pipe), inside the consumer's transaction, with the
 * consumer's retry and dead-letter decisions taken on the handler's own error; relay and metrics started.
 */
describe('messaging: Nest wiring', () => {
  const service = `nest-wiring-${randomUUID()}`;
  const kafka = new Kafka({ clientId: 'nest-wiring-test', brokers: [infra.kafkaBrokers], ssl: infra.kafkaSsl, sasl: infra.kafkaSasl, logLevel: logLevel.NOTHING });
  let app: INestApplication;
  let events: Consumer;
  let dlqReader: Consumer;
  const replies: Envelope[] = [];
  const dlq: KafkaMessage[] = [];
  // Nest's default RPC filter logs what it catches: with the transport's filter it must catch nothing.
  const nestLogged = jest.spyOn((BaseRpcExceptionFilter as unknown as { logger: { error: (...args: unknown[]) => void } }).logger, 'error');

  const send = async (...envelopes: Envelope[]) => {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: Reserve.topic, messages: envelopes.map((e) => encodeEnvelope(e)) });
    await producer.disconnect();
  };
  /** How many messages of the type had that outcome, from the service's metrics. */
  const count = async (type: string, name: string) => {
    const match = new RegExp(`shop_messages_handled_total\\{consumer="${service}",type="${type.replace(/\./g, '\\.')}",outcome="${name}"\\} (\\d+)\n`).exec(await registry.metrics());
    return match ? Number(match[1]) : 0;
  };

  beforeAll(async () => {
    const databaseUrl = await recreateDatabase('test_messaging_nest');
    await queryDatabase(databaseUrl, 'CREATE TABLE effect (id serial PRIMARY KEY, order_id text NOT NULL, units int NOT NULL)');
    await ensureTopics(infra.kafka, [{ topic: Reserve.topic }, { topic: deadLetterTopic(Reserve.topic) }, { topic: Events.topic }]);
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({ type: 'postgres', url: databaseUrl, migrations: messagingMigrations, migrationsRun: true }),
        MessagingModule.forRoot({
          service,
          brokers: [infra.kafkaBrokers],
          tls: infra.kafkaTls,
          sasl: infra.kafkaSasl,
          databaseUrl,
          messages: [Reserve, Release, Events],
          retry: { attempts: 3, baseMs: 20, maxMs: 100 },
          // a test must not end while kafkajs is still leaving the group: wait for it at shutdown
          consumerStopTimeoutMs: 60_000,
        }),
        MetricsRegistryModule,
      ],
      controllers: [StockHandlers],
      providers: [CountingInterceptor],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    connectMessaging(app);
    await app.startAllMicroservices();
    await app.init();
    events = kafka.consumer({ groupId: `nest-wiring-reader-${randomUUID()}` });
    await events.connect();
    await events.subscribe({ topic: Events.topic, fromBeginning: true });
    await events.run({ eachMessage: async ({ message }) => void replies.push(decodeEnvelope(message)) });
    dlqReader = await readDeadLetters(kafka, Reserve.topic, dlq);
  }, 120_000);

  afterAll(async () => {
    await events?.disconnect();
    await dlqReader?.disconnect();
    await app?.close();
    nestLogged.mockRestore();
  });

  it('routes a command through the interceptor and the pipe to its handler, and publishes the reply through the outbox, in one trace of causes', async () => {
    const db = app.get(DataSource);
    const command = createEnvelope(ReserveStockV1, { orderId: `nest-${randomUUID()}`, lines: [{ sku: 'MUG-LOGO', quantity: 2 }, { sku: 'TEE-BLACK-M', quantity: 3 }] }, 'order');
    await send(command, command);

    await waitFor('the StockReserved reply', async () => replies.some((r) => r.causationId === command.id), 60_000, 250);
    const reply = replies.find((r) => r.causationId === command.id);
    expect(reply).toMatchObject({
      type: 'inventory.stock-reserved',
      source: service,
      subject: command.subject,
      correlationId: command.correlationId,
      data: { orderId: command.subject, lines: [{ sku: 'MUG-LOGO', quantity: 2 }, { sku: 'TEE-BLACK-M', quantity: 3 }] },
    });
    // Once, with the pipe's output; the second copy stopped at the inbox, before the pipeline.
    expect(await db.query('SELECT units FROM effect WHERE order_id = $1', [command.subject])).toEqual([{ units: 5 }]);
    expect(app.get(CountingInterceptor).seen.filter((s) => s === `reserve:${command.subject}`)).toHaveLength(1);
    expect(await count('inventory.reserve-stock', 'handled')).toBe(1);
    await waitFor('the second copy counted as a duplicate', async () => (await registry.metrics()).includes(`shop_inbox_duplicates_total{consumer="${service}"} 1`));
  });

  it("dead-letters at once what the handler refuses with NonRetryableError, and retries what fails for a while: the consumer gets the handler's own error", async () => {
    const db = app.get(DataSource);
    const fatal = createEnvelope(ReleaseStockV1, { orderId: `fatal-${randomUUID()}` }, 'order');
    const flaky = createEnvelope(ReleaseStockV1, { orderId: `flaky-${randomUUID()}` }, 'order');
    await send(fatal, flaky);

    await waitFor('the refused command in the DLQ', async () => dlq.some((m) => String(m.key) === fatal.subject), 60_000, 250);
    const dead = headerStrings(dlq.find((m) => String(m.key) === fatal.subject) as KafkaMessage);
    expect(dead[DeadLetterHeaders.errorClass]).toBe('NonRetryableError');
    expect(dead[DeadLetterHeaders.error]).toBe(thrown[0].message);
    expect(dead[DeadLetterHeaders.attempts]).toBe('1');
    expect(attempts.get(fatal.subject)).toEqual([1]);

    await waitFor('the transient failure handled at the second attempt', async () => (await count('inventory.release-stock', 'retried')) === 1, 60_000, 250);
    expect(attempts.get(flaky.subject)).toEqual([1, 2]);
    expect(dlq.some((m) => String(m.key) === flaky.subject)).toBe(false);
    // The failed attempts were rolled back: only the successful one left its effect.
    expect(Number((await db.query('SELECT count(*) FROM effect WHERE order_id = ANY($1)', [[fatal.subject, flaky.subject]]))[0].count)).toBe(1);
    expect(app.get(CountingInterceptor).seen).toEqual(expect.arrayContaining([`release:${fatal.subject}`, `release:${flaky.subject}`]));
    expect(await count('inventory.release-stock', 'dead_lettered')).toBe(1);
    expect(nestLogged).not.toHaveBeenCalled();
  });
});
