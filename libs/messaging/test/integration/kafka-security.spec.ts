import { kafkaSsl, kafkaTls, startInfra, stopInfra, waitFor } from '@shop/testing';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Kafka, ResourcePatternTypes, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeadLetterQueue, kafkaAccess, kafkaAccessList, kafkaAcls, kafkaClient, NotReplayableError, type KafkaSasl } from '../../src';

/**
 * The local Kafka as scripts/infra/infra.sh sets it up: SASL/SCRAM-SHA-512 over TLS on the client
 * listener, StandardAuthorizer with allow.everyone.if.no.acl.found=false, and one principal per
 * service with only the ACLs kafka-access.ts derives from the contracts' TOPOLOGY. A private
 * broker (own run dir and ports, passwords that are not the local defaults), so that this suite's
 * consumers never join a group a service of another suite is in, and the whole path (format with
 * the users, the ACL step) runs from nothing.
 */
describe('Kafka security: SCRAM authentication and per-service ACLs', () => {
  const runDir = mkdtempSync(join(tmpdir(), 'kafka-security-'));
  const port = 29992;
  const brokers = [`127.0.0.1:${port}`];
  const admin: KafkaSasl = { username: 'admin', password: `admin-${randomUUID()}` };
  const inventory: KafkaSasl = { username: 'inventory', password: `inventory-${randomUUID()}` };
  const consoleUser: KafkaSasl = { username: 'console', password: `console-${randomUUID()}` };
  const privateKafka = {
    SHOP_RUN_DIR: join(runDir, 'infra'),
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(port + 1),
    KAFKA_ADMIN_PASSWORD: admin.password,
    KAFKA_INVENTORY_PASSWORD: inventory.password,
    KAFKA_CONSOLE_PASSWORD: consoleUser.password,
  };
  // No retries: a refusal is reported at once instead of after kafkajs' backoff.
  const client = (sasl: KafkaSasl) => kafkaClient({ brokers, sasl, tls: kafkaTls() }, { clientId: 'security-test', retry: { retries: 0 }, connectionTimeout: 3000, logLevel: logLevel.NOTHING });
  // Producers and consumers keep kafkajs' retries (an idempotent producer requires them, and a
  // fresh broker answers the first group lookup with a retriable COORDINATOR_NOT_AVAILABLE);
  // authorization failures are never retried.
  const retryingClient = (sasl: KafkaSasl) => kafkaClient({ brokers, sasl, tls: kafkaTls() }, { clientId: 'security-test', logLevel: logLevel.NOTHING });
  const producer = (sasl: KafkaSasl) => retryingClient(sasl).producer({ idempotent: true, maxInFlightRequests: 1 });
  /** The broker's own account of what it refused (its log, under the private run dir). */
  const brokerLog = () => readFileSync(join(privateKafka.SHOP_RUN_DIR, 'logs', 'kafka.log'), 'utf8');
  const consumers: Consumer[] = [];

  /** Subscribes `sasl` to `topic` in `groupId` and resolves with the first message it reads, or rejects with what stopped it. */
  async function readOne(sasl: KafkaSasl, groupId: string, topic: string): Promise<KafkaMessage> {
    // A crashed consumer stays down (kafkajs would restart it, and keep the process alive).
    const consumer = retryingClient(sasl).consumer({ groupId, retry: { restartOnFailure: async () => false } });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    return new Promise<KafkaMessage>((resolve, reject) => {
      consumer.on(consumer.events.CRASH, (e) => reject(e.payload.error));
      consumer.run({ eachMessage: async ({ message }) => resolve(message) }).catch(reject);
    });
  }

  beforeAll(async () => {
    await startInfra(['kafka'], privateKafka);
    // A fresh broker loads its group coordinator after the first lookup (COORDINATOR_LOAD_IN_PROGRESS
    // until then): one group joined as admin first, so the checks below see only authorization.
    const warmUp = retryingClient(admin).consumer({ groupId: `warm-up-${randomUUID()}` });
    let joined = false;
    warmUp.on(warmUp.events.GROUP_JOIN, () => (joined = true));
    await warmUp.connect();
    await warmUp.subscribe({ topic: 'inventory.events' });
    await warmUp.run({ eachMessage: async () => undefined });
    await waitFor('the warm-up consumer to join its group', async () => joined, 60_000);
    await warmUp.disconnect();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.disconnect().catch(() => undefined)));
    await stopInfra(['kafka'], privateKafka);
    rmSync(runDir, { recursive: true, force: true });
  }, 120_000);

  it('refuses a client without credentials', async () => {
    const anonymous = new Kafka({ clientId: 'no-credentials', brokers, ssl: kafkaSsl(), retry: { retries: 0 }, connectionTimeout: 3000, logLevel: logLevel.NOTHING }).admin();
    // The broker closes the connection of a client that sends requests before authenticating.
    await expect(anonymous.connect().then(() => anonymous.listTopics())).rejects.toMatchObject({ name: 'KafkaJSConnectionClosedError' });
    await anonymous.disconnect();
    expect(brokerLog()).toMatch(/Unexpected Kafka request of type METADATA during SASL handshake/);
  });

  it('refuses a client that does not speak TLS, even with the right password', async () => {
    const plain = new Kafka({ clientId: 'plain-text', brokers, ssl: false, sasl: { mechanism: 'scram-sha-512', ...admin }, retry: { retries: 0 }, connectionTimeout: 3000, logLevel: logLevel.NOTHING }).admin();
    // The broker drops the connection: its TLS handshake never comes (kafkajs gives up at once: no retries).
    await expect(plain.connect()).rejects.toMatchObject({ name: expect.stringMatching(/^KafkaJS(ConnectionError|ConnectionClosedError|NumberOfRetriesExceeded)$/) });
    await plain.disconnect();
    // The same password over TLS is let in.
    const tls = client(admin).admin();
    await tls.connect();
    await tls.disconnect();
  });

  it('refuses a wrong password (SASL authentication failed)', async () => {
    const wrong = client({ username: 'inventory', password: `${inventory.password}-wrong` }).admin();
    await expect(wrong.connect()).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError', message: expect.stringMatching(/SCRAM SHA512 authentication failed/) });
    // Neither the failed attempt nor the setup (format, ACL step) put a password in the broker's log.
    for (const password of [inventory.password, admin.password]) expect(brokerLog()).not.toContain(password);
  });

  it('gives each principal (the services and the console) exactly the ACLs derived from the topology', async () => {
    const a = client(admin).admin();
    await a.connect();
    try {
      for (const access of kafkaAccessList()) {
        const { resources } = await a.describeAcls({
          resourceType: AclResourceTypes.ANY,
          resourcePatternType: ResourcePatternTypes.ANY,
          principal: access.principal,
          operation: AclOperationTypes.ANY,
          permissionType: AclPermissionTypes.ANY,
        });
        const held = resources.flatMap(({ acls, ...r }) => acls.map((acl) => `${r.resourceType} ${r.resourceName} ${r.resourcePatternType} ${acl.operation} ${acl.permissionType}`)).sort();
        const declared = kafkaAcls(access).map((e) => `${e.resourceType} ${e.resourceName} ${e.resourcePatternType} ${e.operation} ${e.permissionType}`).sort();
        expect({ principal: access.principal, acls: held }).toEqual({ principal: access.principal, acls: declared });
      }
    } finally {
      await a.disconnect();
    }
    // What that means for inventory, spelled out.
    expect(kafkaAccess('inventory')).toEqual({
      principal: 'User:inventory',
      group: 'inventory',
      reads: ['inventory.commands'],
      writes: ['inventory.catalog', 'inventory.commands.dlq', 'inventory.events'],
    });
  });

  it('lets inventory publish to its own topic and read the topic it consumes with its own group (so the refusals below are about ACLs)', async () => {
    const inventoryProducer = producer(inventory);
    await inventoryProducer.connect();
    try {
      const [ack] = await inventoryProducer.send({ topic: 'inventory.events', acks: -1, messages: [{ key: 'k', value: 'from inventory' }] });
      expect(ack.errorCode).toBe(0);
    } finally {
      await inventoryProducer.disconnect();
    }
    const command = `command-${randomUUID()}`;
    const adminProducer = client(admin).producer();
    await adminProducer.connect();
    await adminProducer.send({ topic: 'inventory.commands', messages: [{ key: 'k', value: command }] });
    await adminProducer.disconnect();
    const read = await readOne(inventory, 'inventory', 'inventory.commands');
    expect(read.value?.toString()).toBe(command);
  });

  it('refuses inventory publishing to payment.events (TOPIC_AUTHORIZATION_FAILED)', async () => {
    const inventoryProducer = producer(inventory);
    await inventoryProducer.connect();
    try {
      // kafkajs wraps the metadata error; its message is Kafka's text for TOPIC_AUTHORIZATION_FAILED.
      await expect(inventoryProducer.send({ topic: 'payment.events', acks: -1, messages: [{ key: 'k', value: 'forged' }] })).rejects.toMatchObject({
        name: 'KafkaJSNonRetriableError',
        message: 'Not authorized to access topics: [Topic authorization failed]',
      });
    } finally {
      await inventoryProducer.disconnect();
    }
    expect(brokerLog()).toMatch(/Principal = User:inventory is Denied [Oo]peration = DESCRIBE from host = 127\.0\.0\.1 on resource = Topic:LITERAL:payment\.events/);
  });

  it('refuses inventory reading payment.commands, with its own group or with payment\'s', async () => {
    await expect(readOne(inventory, 'inventory', 'payment.commands')).rejects.toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
    // kafkajs reports a refused FindCoordinator as "coordinator not found"; the broker says why.
    await expect(readOne(inventory, 'payment', 'inventory.commands')).rejects.toMatchObject({ name: 'KafkaJSGroupCoordinatorNotFound' });
    expect(brokerLog()).toMatch(/Principal = User:inventory is Denied [Oo]peration = DESCRIBE from host = 127\.0\.0\.1 on resource = Group:LITERAL:payment/);
  });

  it('lets the console read a DLQ and replay its message to the topic the DLQ belongs to, and nothing else', async () => {
    const adminProducer = client(admin).producer();
    await adminProducer.connect();
    const id = randomUUID();
    await adminProducer.send({ topic: 'inventory.commands.dlq', messages: [{ key: 'k', value: 'dead', headers: { ce_id: id, 'dlq-original-topic': 'inventory.commands', 'dlq-error': 'boom' } }] });
    await adminProducer.disconnect();
    const dlq = new DeadLetterQueue({ brokers, sasl: consoleUser, tls: kafkaTls() }, { clientId: 'security-test', groupPrefix: 'console' });
    try {
      const letter = (await dlq.readAll('inventory.commands.dlq')).find((r) => r.headers['ce_id'] === id);
      expect(letter).toBeDefined();
      if (!letter) return;
      await expect(dlq.replay(letter)).resolves.toMatchObject({ topic: 'inventory.commands', headers: { ce_id: id } });
      // No live topic: it sees the ones it may write (WRITE implies DESCRIBE) but may not read them, nor write anywhere else.
      await expect(dlq.readAll('inventory.commands')).rejects.toThrow('Not authorized to access topics: [Topic authorization failed]');
      // A record whose header names another topic is refused before anything is sent...
      await expect(dlq.replay({ ...letter, headers: { ...letter.headers, 'dlq-original-topic': 'inventory.commands.dlq' } })).rejects.toThrow(NotReplayableError);
    } finally {
      await dlq.close();
    }
    // ...and the broker would refuse the console a write to a DLQ anyway.
    const consoleProducer = producer(consoleUser);
    await consoleProducer.connect();
    try {
      await expect(consoleProducer.send({ topic: 'inventory.commands.dlq', acks: -1, messages: [{ key: 'k', value: 'planted' }] })).rejects.toThrow(/[Aa]uthoriz/);
    } finally {
      await consoleProducer.disconnect();
    }
    // Only groups of its prefix: a service's group is refused.
    await expect(readOne(consoleUser, 'inventory', 'inventory.commands.dlq')).rejects.toMatchObject({ name: 'KafkaJSGroupCoordinatorNotFound' });
  });

  it('a changed password takes effect at the next start (the data dir is formatted again): the old one is refused', async () => {
    await Promise.all(consumers.splice(0).map((c) => c.disconnect().catch(() => undefined)));
    await stopInfra(['kafka'], privateKafka);
    const changed = { ...inventory, password: `inventory-${randomUUID()}` };
    privateKafka.KAFKA_INVENTORY_PASSWORD = changed.password;
    await startInfra(['kafka'], privateKafka);
    const old = client(inventory).admin();
    await expect(old.connect()).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
    const now = client(changed).admin();
    await now.connect();
    try {
      expect(await now.listTopics()).toContain('inventory.commands');
    } finally {
      await now.disconnect();
    }
  }, 180_000);
});
