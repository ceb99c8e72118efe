// Keep this import first (see instrumentation.ts).
import './instrumentation';
import { bootstrapService, loadConfigOrExit, registerSchemasOnly, registrationRequested, runMigrationsOnly } from '@shop/platform';
import { AppModule, paymentMigrations } from './app.module';
import { configSchema } from './config';

// --register-schemas reads only SCHEMA_REGISTRY_URL (see registerSchemasOnly); every other mode, the whole config.
const run = registrationRequested() ? registerSchemasOnly('payment').then((code) => process.exit(code)) : start();

function start(): Promise<unknown> {
  const config = loadConfigOrExit('payment', configSchema);
  return process.argv.includes('--migrate-only')
    ? runMigrationsOnly('payment', config.DATABASE_URL, paymentMigrations).then(() => process.exit(0))
    : bootstrapService(AppModule.forRoot(config), { host: config.HOST, port: config.PORT });
}

run.catch((error: unknown) => {
  process.stderr.write(`payment: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
