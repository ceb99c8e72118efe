import { messagingMigrations } from '@shop/messaging';
import { DataSource } from 'typeorm';

/**
 * `node dist/apps/<service>/main.js --migrate-only`: runs the service's pending migrations (the
 * messaging tables first) and returns, without serving. The Helm chart's pre-install/pre-upgrade
 * Job uses it, so a new version's schema is in place before its pods start.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export async function runMigrationsOnly(service: string, databaseUrl: string, migrations: Function[]): Promise<void> {
  const db = new DataSource({ type: 'postgres', url: databaseUrl, migrations: [...messagingMigrations, ...migrations], applicationName: `${service}-migrate` });
  await db.initialize();
  try {
    const applied = await db.runMigrations({ transaction: 'each' });
    process.stdout.write(`${service}: ${applied.length} migration(s) applied${applied.length ? `: ${applied.map((m) => m.name).join(', ')}` : ' (up to date)'}\n`);
  } finally {
    await db.destroy();
  }
}
