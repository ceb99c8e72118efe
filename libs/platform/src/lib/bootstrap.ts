import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { connectMessaging } from '@shop/messaging';

export interface ServiceAddress {
  host: string;
  port: number;
  /** Larger JSON bodies are refused with 413 before any handler runs. */
  bodyLimit?: string;
  /** Last touches before the server listens (e.g. mounting the OpenAPI document). */
  configure?: (app: NestExpressApplication) => void;
  /** Serve @EventPattern handlers through the messaging transport (default true; false for a service built with PlatformModule.forStream). */
  messagingTransport?: boolean;
}

/**
 * Creates and starts a service's HTTP server and its message handlers (the messaging transport,
 * a Nest microservice in the same application); stops cleanly on SIGTERM/SIGINT.
 */
export async function bootstrapService(module: DynamicModule, address: ServiceAddress) {
  const app = await NestFactory.create<NestExpressApplication>(module, { bufferLogs: true, bodyParser: false });
  app.useBodyParser('json', { limit: address.bodyLimit ?? '64kb' });
  // Security headers on every response, helmet's defaults: a same-origin Content-Security-Policy
  // (Swagger UI at /docs loads only its own files), X-Content-Type-Options nosniff,
  // frame-ancestors 'self', Strict-Transport-Security, Referrer-Policy no-referrer, no X-Powered-By.
  app.use(helmet());
  const logger = app.get(Logger);
  app.useLogger(logger);
  // On SIGTERM/SIGINT: run every shutdown hook, then exit 0 (1 if a hook failed), which lets
  // pino flush and tells a supervisor the stop was clean.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  address.configure?.(app);
  if (address.messagingTransport !== false) {
    connectMessaging(app);
    // Registers the @EventPattern handlers and starts the consumer in the background: a pattern
    // that names no contract fails the boot here. The consumer waits for the topics, which the
    // messaging runtime creates when listen() runs the bootstrap hooks. On close, the transport
    // stops the consumer before the shutdown hooks stop the relay and close the database.
    await app.startAllMicroservices();
  }
  await app.listen(address.port, address.host);
  logger.log(`listening on http://${address.host}:${address.port}`, 'Bootstrap');
  return app;
}
