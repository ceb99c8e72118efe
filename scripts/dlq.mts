// `npm run dlq -- list <topic>.dlq` and `npm run dlq -- replay <topic>.dlq --offset N [--offset M ...] | --all`
// Lists dead-lettered messages, and republishes chosen ones to their original topic with their
// original key, value and headers (the dlq-* headers removed). Kafka: KAFKA_BROKERS (default 127.0.0.1:9092),
// as KAFKA_SASL_USERNAME with KAFKA_SASL_PASSWORD (SCRAM-SHA-512; default: the local infra's admin,
// password KAFKA_ADMIN_PASSWORD or the local-only `admin-local`).
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { Headers } from '../libs/contracts/src/lib/headers.ts';
import { DeadLetterHeaders } from '../libs/messaging/src/lib/consumer/dead-letter.ts';

interface DeadLetter {
  partition: number;
  offset: string;
  message: KafkaMessage;
  headers: Record<string, string>;
}

const usage = 'usage: npm run dlq -- list <topic>.dlq | npm run dlq -- replay <topic>.dlq (--offset N ... | --all)';
const [command, topic, ...rest] = process.argv.slice(2);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const username = process.env.KAFKA_SASL_USERNAME ?? 'admin';
const password = process.env.KAFKA_SASL_PASSWORD ?? process.env.KAFKA_ADMIN_PASSWORD ?? 'admin-local';
const kafka = new Kafka({ clientId: 'dlq-tool', brokers, sasl: { mechanism: 'scram-sha-512', username, password }, logLevel: logLevel.NOTHING });

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** Reads the whole DLQ topic, from the start to its current end. */
async function readAll(dlqTopic: string): Promise<DeadLetter[]> {
  const admin = kafka.admin();
  await admin.connect();
  if (!(await admin.listTopics()).includes(dlqTopic)) {
    await admin.disconnect();
    fail(`no such topic: ${dlqTopic}`);
  }
  const ends = await admin.fetchTopicOffsets(dlqTopic);
  await admin.disconnect();
  const pending = new Map(ends.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high) - 1n]));
  const letters: DeadLetter[] = [];
  if (pending.size === 0) return letters;
  const consumer = kafka.consumer({ groupId: `dlq-tool-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: dlqTopic, fromBeginning: true });
  await new Promise<void>((done) => {
    void consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(Array.isArray(v) ? v.at(-1) : v)]));
        letters.push({ partition, offset: message.offset, message, headers });
        if (BigInt(message.offset) >= (pending.get(partition) ?? -1n)) pending.delete(partition);
        if (pending.size === 0) done();
      },
    });
  });
  await consumer.disconnect();
  return letters.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

async function list(dlqTopic: string): Promise<void> {
  const letters = await readAll(dlqTopic);
  console.log(`${letters.length} message(s) in ${dlqTopic}`);
  for (const l of letters) {
    const h = l.headers;
    console.log(
      [
        `offset ${l.offset} (partition ${l.partition})`,
        `  type ${h[Headers.type] ?? '?'}  id ${h[Headers.id] ?? '?'}  key ${l.message.key?.toString() ?? ''}`,
        `  from ${h[DeadLetterHeaders.originalTopic]}[${h[DeadLetterHeaders.originalPartition]}]@${h[DeadLetterHeaders.originalOffset]}` +
          `  consumer ${h[DeadLetterHeaders.consumer]}  attempts ${h[DeadLetterHeaders.attempts]}  at ${h[DeadLetterHeaders.failedAt]}`,
        `  error ${h[DeadLetterHeaders.errorClass]}: ${h[DeadLetterHeaders.error]}`,
      ].join('\n'),
    );
  }
}

async function replay(dlqTopic: string, args: string[]): Promise<void> {
  const all = args.includes('--all');
  const offsets = new Set<string>();
  args.forEach((arg, i) => {
    if (arg === '--offset') offsets.add(args[i + 1] ?? fail(usage));
  });
  if (!all && offsets.size === 0) fail(usage);
  const chosen = (await readAll(dlqTopic)).filter((l) => all || offsets.has(l.offset));
  const missing = [...offsets].filter((o) => !chosen.some((l) => l.offset === o));
  if (missing.length > 0) fail(`not in ${dlqTopic}: offset ${missing.join(', ')}`);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (const l of chosen) {
    const original = l.headers[DeadLetterHeaders.originalTopic] ?? fail(`offset ${l.offset} has no ${DeadLetterHeaders.originalTopic} header`);
    const dlqHeaderNames: string[] = Object.values(DeadLetterHeaders);
    const headers = Object.fromEntries(Object.entries(l.headers).filter(([k]) => !dlqHeaderNames.includes(k)));
    await producer.send({ topic: original, messages: [{ key: l.message.key, value: l.message.value, headers }] });
    console.log(`replayed offset ${l.offset} (${l.headers[Headers.type] ?? '?'} ${l.headers[Headers.id] ?? '?'}) to ${original}`);
  }
  await producer.disconnect();
}

if (!topic || !topic.endsWith('.dlq')) fail(usage);
if (command === 'list') await list(topic);
else if (command === 'replay') await replay(topic, rest);
else fail(usage);
