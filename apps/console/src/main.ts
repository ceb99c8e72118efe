import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { loadConfigOrExit } from './config';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const indexHtml = join(config.CONSOLE_WEB_DIR, 'index.html');
  if (!existsSync(indexHtml)) throw new Error(`${indexHtml} is missing: build the web application first (nx build console builds it)`);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  // Security headers as on the services: helmet's defaults, whose same-origin Content-Security-Policy
  // the page meets (its script and styles are files of this origin).
  app.use(helmet());
  // Vite names its bundles by content hash, so they may be cached for good; index.html must not be.
  app.useStaticAssets(config.CONSOLE_WEB_DIR, {
    index: 'index.html',
    setHeaders: (res, path) => res.setHeader('cache-control', path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable'),
  });
  await app.listen(config.PORT, config.HOST);
  logger.log(`listening on http://${config.HOST}:${config.PORT}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`console: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
