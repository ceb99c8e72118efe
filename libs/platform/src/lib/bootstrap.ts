import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';

export interface ServiceAddress {
  host: string;
  port: number;
}

/** Creates and starts a service's HTTP server; stops cleanly on SIGTERM/SIGINT. */
export async function bootstrapService(module: DynamicModule, address: ServiceAddress) {
  const app = await NestFactory.create(module, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  // On SIGTERM/SIGINT: run every shutdown hook, then exit 0 (1 if a hook failed), which lets
  // pino flush and tells a supervisor the stop was clean.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.listen(address.port, address.host);
  logger.log(`listening on http://${address.host}:${address.port}`, 'Bootstrap');
  return app;
}
