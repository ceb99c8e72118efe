// Keep this import first (see instrumentation.ts).
import './instrumentation';
import { bootstrapService, loadConfigOrExit } from '@shop/platform';
import { AppModule } from './app.module';
import { configSchema } from './config';

const config = loadConfigOrExit('shipping', configSchema);

bootstrapService(AppModule.forRoot(config), { host: config.HOST, port: config.PORT }).catch((error: unknown) => {
  process.stderr.write(`shipping: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
