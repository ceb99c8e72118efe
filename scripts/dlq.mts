// `npm run dlq -- list <topic>.dlq` and `npm run dlq -- replay <topic>.dlq --offset N [--offset M ...] | --all`
// Lists dead-lettered messages, and republishes chosen ones to the topic their DLQ belongs to (its
// name without `.dlq`; a record whose dlq-original-topic header names another topic is refused,
// and then nothing is replayed) with their original key, value and headers (the dlq-* headers removed). Kafka: KAFKA_BROKERS (default: the
// local infrastructure's, 127.0.0.1:9092), as KAFKA_SASL_USERNAME with KAFKA_SASL_PASSWORD (SCRAM-SHA-512; default: the local infra's
// admin, password KAFKA_ADMIN_PASSWORD or the local-only `admin-local`), over KAFKA_SECURITY_PROTOCOL: unset, the local
// infrastructure's (SASL_SSL, the brokers verified against its CA); SASL_SSL, verified against Node's CAs and NODE_EXTRA_CA_CERTS.
import { readFileSync } from 'node:fs';
import { endpoints } from '../libs/infra/src/index.ts';
// The reading and the replay are libs/messaging's DeadLetterQueue, which the ops console uses too.
import { DeadLetterQueue, UnknownTopicError } from '../libs/messaging/src/lib/dead-letters/dead-letter-queue.ts';
import { replayedMessage, summarizeDeadLetter, type DeadLetterRecord } from '../libs/messaging/src/lib/dead-letters/dead-letter-record.ts';

const usage = 'usage: npm run dlq -- list <topic>.dlq | npm run dlq -- replay <topic>.dlq (--offset N ... | --all)';
const [command, topic, ...rest] = process.argv.slice(2);
const local = endpoints(process.env);
const brokers = (process.env.KAFKA_BROKERS ?? local.kafka.brokers).split(',');
const username = process.env.KAFKA_SASL_USERNAME ?? 'admin';
const password = process.env.KAFKA_SASL_PASSWORD ?? process.env.KAFKA_ADMIN_PASSWORD ?? 'admin-local';
const protocol = process.env.KAFKA_SECURITY_PROTOCOL;
const tls = protocol === undefined ? local.tls && { ca: readFileSync(local.tls.caFile, 'utf8') } : protocol === 'SASL_SSL';
const dlq = new DeadLetterQueue({ brokers, sasl: { username, password }, tls }, { clientId: 'dlq-tool', groupPrefix: 'dlq-tool' });

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** Reads the whole DLQ topic, from the start to its current end. */
async function readAll(dlqTopic: string): Promise<DeadLetterRecord[]> {
  try {
    return await dlq.readAll(dlqTopic);
  } catch (error) {
    if (error instanceof UnknownTopicError) fail(error.message);
    throw error;
  }
}

async function list(dlqTopic: string): Promise<void> {
  const letters = await readAll(dlqTopic);
  console.log(`${letters.length} message(s) in ${dlqTopic}`);
  for (const l of letters.map(summarizeDeadLetter)) {
    console.log(
      [
        `offset ${l.offset} (partition ${l.partition})`,
        `  type ${l.type ?? '?'}  id ${l.messageId ?? '?'}  key ${l.key ?? ''}`,
        `  from ${l.originalTopic}[${l.originalPartition}]@${l.originalOffset}` + `  consumer ${l.consumer}  attempts ${l.attempts}  at ${l.failedAt}`,
        `  error ${l.errorClass}: ${l.error}`,
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
  // Every chosen record is checked before the first is sent: a refused one replays nothing.
  for (const l of chosen) {
    try {
      replayedMessage(l);
    } catch (error) {
      fail(`${(error as Error).message}; nothing was replayed`);
    }
  }
  try {
    for (const l of chosen) {
      const { topic: original } = await dlq.replay(l).catch((error: Error) => fail(error.message));
      const { type, messageId } = summarizeDeadLetter(l);
      console.log(`replayed offset ${l.offset} (${type ?? '?'} ${messageId ?? '?'}) to ${original}`);
    }
  } finally {
    await dlq.close();
  }
}

if (!topic || !topic.endsWith('.dlq')) fail(usage);
if (command === 'list') await list(topic);
else if (command === 'replay') await replay(topic, rest);
else fail(usage);
