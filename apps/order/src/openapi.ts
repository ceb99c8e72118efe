import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { writeFileSync } from 'node:fs';
import { AppModule } from './app.module';
import { configSchema } from './config';

/** The committed copy of the document (`npm run order:openapi` writes it; openapi.spec.ts fails when it is stale). */
export const OPENAPI_FILE = 'apps/order/openapi.json';

/** The command line that writes OPENAPI_FILE from a build of this service. */
export const WRITE_OPENAPI_FLAG = '--write-openapi';

/** The order API's OpenAPI document: what the routes of `app` declare, with the API's title and sign-in. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Shop: order API')
    .setDescription(
      'Place orders and follow them through the saga (stock, payment, shipment). Errors are application/problem+json with a stable `code`.',
    )
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from the shop realm (locally: `npm run -s token -- alice`)' })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** The OpenAPI document at /docs-json and Swagger UI at /docs. */
export function mountOpenApi(app: NestExpressApplication): void {
  // "Authorize" in Swagger UI takes a token; persisted across reloads of the page.
  SwaggerModule.setup('docs', app, () => openApiDocument(app), { jsonDocumentUrl: 'docs-json', swaggerOptions: { persistAuthorization: true } });
}

/**
 * The document a service with the default settings serves (the fault switch's /admin/faults off),
 * built without a database or Kafka: Nest's preview mode reads the module graph and the routes'
 * decorators and creates no provider, so nothing connects. The addresses below are never used.
 */
export async function builtOpenApiDocument(): Promise<OpenAPIObject> {
  const config = configSchema.parse({
    DATABASE_URL: 'postgres://unused@127.0.0.1/shop_order',
    KAFKA_BROKERS: '127.0.0.1:9092',
    KAFKA_SASL_USERNAME: 'order',
    KAFKA_SASL_PASSWORD: 'unused',
    OIDC_ISSUER: 'http://127.0.0.1:8180/realms/shop',
  });
  const app = await NestFactory.create(AppModule.forRoot(config), { preview: true, logger: false, abortOnError: false });
  try {
    return openApiDocument(app);
  } finally {
    await app.close();
  }
}

/** The committed file's text: the document as JSON, two-space indented, one trailing newline. */
export function openApiFileText(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** `node dist/apps/order/main.js --write-openapi`: writes OPENAPI_FILE (relative to the working directory, the repository root). */
export async function writeOpenApiFile(): Promise<void> {
  writeFileSync(OPENAPI_FILE, openApiFileText(await builtOpenApiDocument()));
  process.stdout.write(`order: wrote ${OPENAPI_FILE}\n`);
}
