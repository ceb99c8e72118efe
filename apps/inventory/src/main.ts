// Keep this import first (see instrumentation.ts).
import './instrumentation';
import { bootstrapService, loadConfigOrExit, registerSchemasOnly, registrationRequested, runMigrationsOnly, WRITE_OPENAPI_FLAG } from '@shop/platform';
import { AppModule, inventoryMigrations } from './app.module';
import { configSchema } from './config';
import { inventoryApi } from './openapi';

// --register-schemas reads only SCHEMA_REGISTRY_URL (see registerSchemasOnly); --write-openapi reads
// nothing (the document of the default settings, see ServiceOpenApi.built); every other mode, the whole config.
const run = registrationRequested()
  ? registerSchemasOnly('inventory').then((code) => process.exit(code))
  : process.argv.includes(WRITE_OPENAPI_FLAG)
    ? inventoryApi.write().then(() => process.exit(0))
    : start();

function start(): Promise<unknown> {
  const config = loadConfigOrExit('inventory', configSchema);
  return process.argv.includes('--migrate-only')
    ? runMigrationsOnly('inventory', config.DATABASE_URL, inventoryMigrations).then(() => process.exit(0))
    : bootstrapService(AppModule.forRoot(config), { host: config.HOST, port: config.PORT, configure: (app) => inventoryApi.mount(app) });
}

run.catch((error: unknown) => {
  process.stderr.write(`inventory: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
