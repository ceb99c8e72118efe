// Run by libs/infra (scripts/infra/infra.sh start; through tsx, for libs/contracts' imports) each time Kafka starts:
// as the admin principal, creates every contract topic and its DLQ, then makes each service
// principal's ACLs, and the ops console's, exactly those derived from libs/contracts' TOPOLOGY (libs/messaging kafka-access.ts).
// With --list, only prints the ACLs the broker holds for those principals.
// Env: KAFKA_BROKERS, KAFKA_ADMIN_PASSWORD (set by libs/infra, src/lib/settings.ts).
import kafkajs from 'kafkajs';
import { applyKafkaAcls, kafkaTopics, serviceAcls } from '../../libs/messaging/src/lib/kafka/kafka-access.ts';
import { kafkaClient, type KafkaConnection } from '../../libs/messaging/src/lib/kafka/kafka-client.ts';
import { ensureTopics } from '../../libs/messaging/src/lib/kafka/topics.ts';

const { KAFKA_BROKERS, KAFKA_ADMIN_PASSWORD } = process.env;
if (!KAFKA_BROKERS || !KAFKA_ADMIN_PASSWORD) throw new Error('KAFKA_BROKERS and KAFKA_ADMIN_PASSWORD are required');
const connection: KafkaConnection = { brokers: KAFKA_BROKERS.split(','), sasl: { username: 'admin', password: KAFKA_ADMIN_PASSWORD } };
const list = process.argv.includes('--list');
const { AclOperationTypes, AclResourceTypes, logLevel } = kafkajs; // CommonJS: its enums are not named exports

const topics = kafkaTopics();
if (!list) await ensureTopics(connection, topics);
const admin = kafkaClient(connection, { clientId: 'kafka-acls', logLevel: logLevel.NOTHING }).admin();
await admin.connect();
try {
  if (list) {
    const name = (names: object, value: number) => Object.entries(names).find(([, v]) => v === value)?.[0] ?? String(value);
    for (const a of await serviceAcls(admin)) {
      console.log(`${a.principal.padEnd(18)} ${name(AclOperationTypes, a.operation).padEnd(6)} ${name(AclResourceTypes, a.resourceType).toLowerCase()} ${a.resourceName}`);
    }
  } else {
    const { added, deleted, total } = await applyKafkaAcls(admin);
    console.log(`${topics.length} topics, ${total} ACLs for the principals: the services and the console (${added} added, ${deleted} deleted)`);
  }
} finally {
  await admin.disconnect();
}
