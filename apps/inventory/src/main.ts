// Keep this import first (see instrumentation.ts).
import './instrumentation';
import { bootstrapService, loadConfigOrExit, runMigrationsOnly } from '@shop/platform';
import { AppModule, inventoryMigrations } from './app.module';
import { configSchema } from './config';

const config = loadConfigOrExit('inventory', configSchema);

const run = process.argv.includes('--migrate-only')
  ? runMigrationsOnly('inventory', config.DATABASE_URL, inventoryMigrations).then(() => process.exit(0))
  : bootstrapService(AppModule.forRoot(config), { host: config.HOST, port: config.PORT });

run.catch((error: unknown) => {
  process.stderr.write(`inventory: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
