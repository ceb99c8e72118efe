import { messagingMigrations } from '@shop/messaging';
import { DataSource } from 'typeorm';
import { orderMigrations } from './app.module';
import { OrderViewRepository } from './orders/infrastructure/order-view.repository';

/**
 * `node dist/apps/order/main.js --rebuild-read-model` (npm run order:rebuild-read-model):
 * drops the read model and rebuilds it by replaying every order's events (order_event) through
 * the same projection the live service uses. Safe while the service runs: it works in one
 * transaction holding an exclusive lock on order_view (reads wait; the API's writes queue behind it).
 */
export async function rebuildReadModel(databaseUrl: string): Promise<void> {
  const db = new DataSource({ type: 'postgres', url: databaseUrl, migrations: [...messagingMigrations, ...orderMigrations], migrationsRun: true, applicationName: 'order-rebuild-read-model' });
  await db.initialize();
  try {
    const started = Date.now();
    const { orders, events } = await db.transaction((manager) => new OrderViewRepository().rebuild(manager));
    process.stdout.write(`order read model rebuilt: ${orders} orders from ${events} events in ${Date.now() - started} ms\n`);
  } finally {
    await db.destroy();
  }
}
