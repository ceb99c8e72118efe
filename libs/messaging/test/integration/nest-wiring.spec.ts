import { Global, Injectable, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReserveStockV1, StockReservedV1 } from '@shop/contracts';
import { infra, queryDatabase, recreateDatabase, waitFor } from '@shop/testing';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import {
  causedBy,
  createEnvelope,
  decodeEnvelope,
  encodeEnvelope,
  ensureTopics,
  MessageHandler,
  MessagingModule,
  messagingMigrations,
  OutboxWriter,
  type Envelope,
  type MessageContext,
} from '../../src';

// This run's own topics, so nothing else on the broker reaches the handler.
const run = randomUUID();
const Commands = { ...ReserveStockV1, topic: `test.nest.commands.${run}` };
const Events = { ...StockReservedV1, topic: `test.nest.events.${run}` };

@Injectable()
class ReserveStockHandler {
  constructor(private readonly outbox: OutboxWriter) {}

  /** Declared the Nest way; runs in the delivery's transaction and replies through the outbox. */
  @MessageHandler(Commands)
  async reserve(data: ReserveStockV1, ctx: MessageContext): Promise<void> {
    await ctx.manager.query('INSERT INTO effect (order_id) VALUES ($1)', [data.orderId]);
    await this.outbox.add(ctx.manager, Events, { orderId: data.orderId, lines: data.lines }, causedBy(ctx.envelope));
  }
}

const registry = new Registry();

/** Stands in for PlatformModule, which provides the app's metrics registry globally. */
@Global()
@Module({ providers: [{ provide: Registry, useValue: registry }], exports: [Registry] })
class MetricsRegistryModule {}

/** MessagingModule in a Nest application: @MessageHandler discovered, consumer, relay and metrics started. */
describe('messaging: Nest wiring', () => {
  const service = `nest-wiring-${randomUUID()}`;
  const kafka = new Kafka({ clientId: 'nest-wiring-test', brokers: [infra.kafkaBrokers], sasl: infra.kafkaSasl, logLevel: logLevel.NOTHING });
  let app: INestApplication;
  let events: Consumer;
  const replies: Envelope[] = [];

  beforeAll(async () => {
    const databaseUrl = await recreateDatabase('test_messaging_nest');
    await queryDatabase(databaseUrl, 'CREATE TABLE effect (id serial PRIMARY KEY, order_id text NOT NULL)');
    await ensureTopics(infra.kafka, [{ topic: Commands.topic }, { topic: Events.topic }]);
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({ type: 'postgres', url: databaseUrl, migrations: messagingMigrations, migrationsRun: true }),
        // a test must not end while kafkajs is still leaving the group: wait for it at shutdown
        MessagingModule.forRoot({ service, brokers: [infra.kafkaBrokers], sasl: infra.kafkaSasl, databaseUrl, consumerStopTimeoutMs: 60_000 }),
        MetricsRegistryModule,
      ],
      providers: [ReserveStockHandler],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    events = kafka.consumer({ groupId: `nest-wiring-reader-${randomUUID()}` });
    await events.connect();
    await events.subscribe({ topic: Events.topic, fromBeginning: true });
    await events.run({ eachMessage: async ({ message }) => void replies.push(decodeEnvelope(message)) });
  }, 120_000);

  afterAll(async () => {
    await events?.disconnect();
    await app?.close();
  });

  it('routes a command to the decorated handler and publishes its reply through the outbox, in one trace of causes', async () => {
    const db = app.get(DataSource);
    const command = createEnvelope(ReserveStockV1, { orderId: `nest-${randomUUID()}`, lines: [{ sku: 'MUG-LOGO', quantity: 2 }] }, 'order');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: Commands.topic, messages: [encodeEnvelope(command), encodeEnvelope(command)] });
    await producer.disconnect();

    await waitFor('the StockReserved reply', async () => replies.some((r) => r.causationId === command.id), 60_000, 250);
    const reply = replies.find((r) => r.causationId === command.id);
    expect(reply).toMatchObject({
      type: 'inventory.stock-reserved',
      source: service,
      subject: command.subject,
      correlationId: command.correlationId,
      data: { orderId: command.subject, lines: [{ sku: 'MUG-LOGO', quantity: 2 }] },
    });
    expect(Number((await db.query('SELECT count(*) FROM effect WHERE order_id = $1', [command.subject]))[0].count)).toBe(1);
    const metrics = await registry.metrics();
    expect(metrics).toMatch(new RegExp(`shop_messages_handled_total\\{consumer="${service}",type="inventory.reserve-stock",outcome="handled"\\} 1\n`));
    await waitFor('the second copy counted as a duplicate', async () =>
      (await registry.metrics()).includes(`shop_inbox_duplicates_total{consumer="${service}"} 1`),
    );
  });
});
