// Keep this import first (see instrumentation.ts).
import './instrumentation';
import { bootstrapService, loadConfigOrExit, registerSchemasOnly, registrationRequested } from '@shop/platform';
import { AppModule } from './app.module';
import { configSchema } from './config';

// --register-schemas reads only SCHEMA_REGISTRY_URL (see registerSchemasOnly); every other mode, the whole config.
const run = registrationRequested() ? registerSchemasOnly('analytics').then((code) => process.exit(code)) : start();

function start(): Promise<unknown> {
  const config = loadConfigOrExit('analytics', configSchema);
  // No messaging transport: the service runs its own read-process-write loop (OrderWindowsProcessor).
  return bootstrapService(AppModule.forRoot(config), { host: config.HOST, port: config.PORT, messagingTransport: false });
}

run.catch((error: unknown) => {
  process.stderr.write(`analytics: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
