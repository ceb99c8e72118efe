// Keep this import first (see instrumentation.ts).
import './instrumentation';
import { bootstrapService, loadConfigOrExit, registerSchemasOnly, registrationRequested, runMigrationsOnly, WRITE_OPENAPI_FLAG } from '@shop/platform';
import { AppModule, orderMigrations } from './app.module';
import { configSchema } from './config';
import { orderApi } from './openapi';
import { rebuildReadModel } from './rebuild-read-model';

// --register-schemas reads only SCHEMA_REGISTRY_URL (see registerSchemasOnly); --write-openapi reads
// nothing (the document of the default settings, see ServiceOpenApi.built); every other mode, the whole config.
const run = registrationRequested()
  ? registerSchemasOnly('order').then((code) => process.exit(code))
  : process.argv.includes(WRITE_OPENAPI_FLAG)
    ? orderApi.write().then(() => process.exit(0))
    : start();

function start(): Promise<unknown> {
  const config = loadConfigOrExit('order', configSchema);
  return process.argv.includes('--rebuild-read-model')
    ? rebuildReadModel(config.DATABASE_URL).then(() => process.exit(0))
    : process.argv.includes('--migrate-only')
      ? runMigrationsOnly('order', config.DATABASE_URL, orderMigrations).then(() => process.exit(0))
      : bootstrapService(AppModule.forRoot(config), { host: config.HOST, port: config.PORT, configure: (app) => orderApi.mount(app) });
}

run.catch((error: unknown) => {
  process.stderr.write(`order: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
