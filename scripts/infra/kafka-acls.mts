// Run by libs/infra (scripts/infra/infra.sh start; through tsx, for libs/contracts' imports) each time Kafka starts:
// as the admin principal, creates every contract topic and its DLQ, then makes each service
// principal's ACLs, and the ops console's, exactly those derived from libs/contracts' TOPOLOGY (libs/messaging kafka-access.ts).
// With --list, only prints the ACLs the broker holds for those principals.
// Env: KAFKA_BROKERS, KAFKA_ADMIN_PASSWORD (set by libs/infra, src/lib/settings.ts), KAFKA_SECURITY_PROTOCOL
// (SASL_SSL: the brokers verified against NODE_EXTRA_CA_CERTS, the local CA; both set by libs/infra tls.ts); for a cluster,
// KAFKA_NODES (the brokers to wait for) and the topics' layout, KAFKA_TOPIC_PARTITIONS,
// KAFKA_REPLICATION_FACTOR and KAFKA_MIN_INSYNC_REPLICAS (libs/infra kafka-cluster.ts topicLayout;
// unset: 3 partitions and the brokers' defaults, the single node's layout).
import kafkajs from 'kafkajs';
import { applyKafkaAcls, kafkaTopics, serviceAcls } from '../../libs/messaging/src/lib/kafka/kafka-access.ts';
import { kafkaClient, type KafkaConnection } from '../../libs/messaging/src/lib/kafka/kafka-client.ts';
import { ensureTopics, type TopicLayout } from '../../libs/messaging/src/lib/kafka/topics.ts';

const { KAFKA_BROKERS, KAFKA_ADMIN_PASSWORD } = process.env;
if (!KAFKA_BROKERS || !KAFKA_ADMIN_PASSWORD) throw new Error('KAFKA_BROKERS and KAFKA_ADMIN_PASSWORD are required');
const connection: KafkaConnection = { brokers: KAFKA_BROKERS.split(','), sasl: { username: 'admin', password: KAFKA_ADMIN_PASSWORD }, tls: process.env.KAFKA_SECURITY_PROTOCOL === 'SASL_SSL' };
const list = process.argv.includes('--list');
const { AclOperationTypes, AclResourceTypes, logLevel } = kafkajs; // CommonJS: its enums are not named exports

/** A whole number of at least 1 from the environment, or undefined when unset. */
function count(name: string): number | undefined {
  const value = process.env[name];
  if (!value) return undefined;
  if (!/^[1-9][0-9]*$/.test(value)) throw new Error(`${name}=${value} is not a whole number of at least 1`);
  return Number(value);
}
const [partitions, replicationFactor, minInsyncReplicas] = ['KAFKA_TOPIC_PARTITIONS', 'KAFKA_REPLICATION_FACTOR', 'KAFKA_MIN_INSYNC_REPLICAS'].map(count);
const layout: TopicLayout | undefined =
  partitions === undefined || replicationFactor === undefined || minInsyncReplicas === undefined ? undefined : { partitions, replicationFactor, minInsyncReplicas };
const brokers = count('KAFKA_NODES') ?? 1;

const topics = kafkaTopics(layout);
const admin = kafkaClient(connection, { clientId: 'kafka-acls', logLevel: logLevel.NOTHING }).admin();
await admin.connect();
try {
  if (!list) {
    // A topic replicated 3 times cannot be created before 3 brokers are registered.
    const deadline = Date.now() + 60_000;
    for (let seen = 0; seen < brokers; ) {
      seen = (await admin.describeCluster()).brokers.length;
      if (seen >= brokers) break;
      if (Date.now() > deadline) throw new Error(`${seen} of ${brokers} brokers registered after 60 s`);
      await new Promise((done) => setTimeout(done, 250));
    }
    await ensureTopics(connection, topics);
  }
  if (list) {
    const name = (names: object, value: number) => Object.entries(names).find(([, v]) => v === value)?.[0] ?? String(value);
    for (const a of await serviceAcls(admin)) {
      console.log(`${a.principal.padEnd(18)} ${name(AclOperationTypes, a.operation).padEnd(6)} ${name(AclResourceTypes, a.resourceType).toLowerCase()} ${a.resourceName}`);
    }
  } else {
    const { added, deleted, total } = await applyKafkaAcls(admin);
    const laidOut = layout ? ` (${layout.partitions} partitions, replication factor ${layout.replicationFactor}, min.insync.replicas ${layout.minInsyncReplicas}, ${brokers} brokers)` : '';
    console.log(`${topics.length} topics${laidOut}, ${total} ACLs for the principals: the services and the console (${added} added, ${deleted} deleted)`);
  }
} finally {
  await admin.disconnect();
}
