// Keep this import first (see instrumentation.ts).
import './instrumentation';
import { bootstrapService, loadConfigOrExit, registerSchemasOnly, registrationRequested, runMigrationsOnly } from '@shop/platform';
import { AppModule, shippingMigrations } from './app.module';
import { configSchema } from './config';

// --register-schemas reads only SCHEMA_REGISTRY_URL (see registerSchemasOnly); every other mode, the whole config.
const run = registrationRequested() ? registerSchemasOnly('shipping').then((code) => process.exit(code)) : start();

function start(): Promise<unknown> {
  const config = loadConfigOrExit('shipping', configSchema);
  return process.argv.includes('--migrate-only')
    ? runMigrationsOnly('shipping', config.DATABASE_URL, shippingMigrations).then(() => process.exit(0))
    : bootstrapService(AppModule.forRoot(config), { host: config.HOST, port: config.PORT });
}

run.catch((error: unknown) => {
  process.stderr.write(`shipping: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
