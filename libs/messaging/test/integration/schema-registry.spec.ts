import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  Headers,
  registeredSchemaText,
  SchemaRegistryClient,
  StockReservedV1,
  subjectOf,
  type MessageDefinition,
} from '@shop/contracts';
import {
  infra,
  recreateDatabase,
  startInfra,
  stopInfra,
  waitFor,
} from '@shop/testing';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { DataSource } from 'typeorm';
import {
  ensureTopics,
  headerStrings,
  MessagingModule,
  messagingMigrations,
  OutboxWriter,
  UnregisteredSchemasError,
} from '../../src';

/**
 * A service's messaging with a real schema registry (Apicurio, started empty on private ports
 * through scripts/infra): it refuses to start, naming the subject, while the schema of a message
 * it sends is not registered or not compatible, and once it is, every message it sends names the
 * registered subject version in its CloudEvents `dataschema`.
 */
const registryEnv = {
  SHOP_RUN_DIR: '/tmp/shop-messaging-registry-it',
  REGISTRY_PORT: '18783',
  REGISTRY_MANAGEMENT_PORT: '18784',
};
const registryUrl = `http://127.0.0.1:${registryEnv.REGISTRY_PORT}/apis/ccompat/v7`;
const registry = new SchemaRegistryClient(registryUrl);

// This run's own topic; the subject is the contract's (type and version): inventory.stock-reserved.v1.
const Reserved = {
  ...StockReservedV1,
  topic: `test.schema-registry.${randomUUID()}`,
} as MessageDefinition;
const subject = subjectOf(Reserved);
/** The same message with a field retyped, as a build with an in-place breaking edit would send it. */
const RetypedReserved = {
  ...Reserved,
  schema: {
    ...Reserved.schema,
    properties: {
      ...(Reserved.schema['properties'] as object),
      orderId: { type: 'integer' },
    },
  },
} as MessageDefinition;

describe('messaging with a schema registry', () => {
  let databaseUrl: string;
  const apps: INestApplication[] = [];

  /** Boots MessagingModule as a service sending only `sends`, against the registry. */
  async function boot(sends: MessageDefinition): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: databaseUrl,
          migrations: messagingMigrations,
          migrationsRun: true,
        }),
        MessagingModule.forRoot({
          service: `schema-registry-${randomUUID()}`,
          brokers: [infra.kafkaBrokers],
          tls: infra.kafkaTls,
          sasl: infra.kafkaSasl,
          databaseUrl,
          messages: [sends as MessageDefinition<never>],
          sends: [sends as MessageDefinition<never>],
          schemaRegistryUrl: registryUrl,
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    apps.push(app);
    await app.init();
    return app;
  }

  beforeAll(async () => {
    await stopInfra(['registry'], registryEnv);
    rmSync(registryEnv.SHOP_RUN_DIR, { recursive: true, force: true });
    await startInfra(['registry'], registryEnv);
    databaseUrl = await recreateDatabase('test_messaging_schema_registry');
    await ensureTopics(infra.kafka, [{ topic: Reserved.topic }]);
  }, 180_000);

  afterAll(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    await stopInfra(['registry'], registryEnv);
  });

  it('refuses to start while the schema of a message it sends is not registered, naming the subject', async () => {
    const refusal = await boot(Reserved).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(UnregisteredSchemasError);
    expect((refusal as Error).message).toBe(
      `the schema registry at ${registryUrl} does not hold the schemas this service sends:\n  ${subject}: not registered (run npm run contracts:register)`,
    );
  });

  it('refuses to start when its schema is not compatible with the registered one', async () => {
    await registry.setCompatibility(subject, 'BACKWARD');
    await registry.register(subject, registeredSchemaText(Reserved.schema));
    const refusal = await boot(RetypedReserved).catch(
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(UnregisteredSchemasError);
    expect((refusal as UnregisteredSchemasError).problems).toEqual([
      `${subject}: the schema this service sends is not compatible with registered version 1 (the registry refuses it): a breaking change needs a new message version`,
    ]);
  });

  it('starts once it is registered, and every message names the registered subject version as its dataschema', async () => {
    const app = await boot(Reserved);
    const orderId = `schema-${randomUUID()}`;
    await app
      .get(DataSource)
      .transaction((manager) =>
        app
          .get(OutboxWriter)
          .add(manager, Reserved, {
            orderId,
            lines: [{ sku: 'MUG-LOGO', quantity: 1 }],
          }),
      );

    const kafka = new Kafka({
      clientId: 'schema-registry-test',
      brokers: [infra.kafkaBrokers],
      ssl: infra.kafkaSsl,
      sasl: infra.kafkaSasl,
      logLevel: logLevel.NOTHING,
    });
    const reader: Consumer = kafka.consumer({
      groupId: `schema-registry-reader-${randomUUID()}`,
    });
    const received: Record<string, string>[] = [];
    try {
      await reader.connect();
      await reader.subscribe({ topic: Reserved.topic, fromBeginning: true });
      await reader.run({
        eachMessage: async ({ message }) =>
          void received.push(headerStrings(message)),
      });
      await waitFor(
        'the message published by the relay',
        async () => received.some((h) => h[Headers.subject] === orderId),
        60_000,
      );
    } finally {
      await reader.disconnect();
    }
    const headers = received.find((h) => h[Headers.subject] === orderId);
    expect(headers?.[Headers.dataSchema]).toBe(
      `${registryUrl}/subjects/${subject}/versions/1`,
    );
    // The reference resolves to the schema this build sends.
    const res = await fetch(headers?.[Headers.dataSchema] as string);
    expect(
      JSON.parse(((await res.json()) as { schema: string }).schema),
    ).toEqual(JSON.parse(registeredSchemaText(Reserved.schema)));
  });
});
