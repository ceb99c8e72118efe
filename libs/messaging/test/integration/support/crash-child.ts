/**
 * A separate process for the crash tests, so they can SIGKILL it at exact points:
 *   write-and-die <databaseUrl> <topic> <orderId>   commits a business row + its outbox row, then dies before any publish
 *   relay <databaseUrl> <brokers> <service> [die-after-ack|-] [shards]   runs the relay (with that many outbox shards); optionally dies after the broker's ack, before marking
 */
import { ReserveStockV1 } from '@shop/contracts';
import { infra } from '@shop/testing';
import { DataSource } from 'typeorm';
import { OutboxRelay, OutboxWriter } from '../../../src';

async function main(): Promise<void> {
  const [mode, databaseUrl, ...args] = process.argv.slice(2);
  if (mode === 'write-and-die') {
    const [topic, orderId] = args;
    const db = new DataSource({ type: 'postgres', url: databaseUrl });
    await db.initialize();
    await db.transaction(async (manager) => {
      await manager.query('INSERT INTO business (order_id) VALUES ($1)', [orderId]);
      await new OutboxWriter('crash-test').add(manager, { ...ReserveStockV1, topic }, { orderId, lines: [{ sku: 'MUG-LOGO', quantity: 1 }] });
    });
    process.stdout.write('committed\n');
    process.kill(process.pid, 'SIGKILL');
  }
  if (mode === 'relay') {
    const [brokers, service, die, shards] = args;
    const relay = new OutboxRelay({
      service,
      databaseUrl,
      brokers: brokers.split(','),
      tls: infra.kafkaTls,
      sasl: infra.kafkaSasl,
      pollIntervalMs: 100,
      shards: shards ? Number(shards) : undefined,
      afterAck: die === 'die-after-ack' ? () => process.kill(process.pid, 'SIGKILL') : undefined,
      onPublished: (batch) => process.stdout.write(`published ${batch.length}\n`),
    });
    await relay.start();
    process.on('SIGTERM', () => void relay.stop().then(() => process.exit(0)));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
