import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { writeFileSync } from 'node:fs';

/** The command line that writes a service's committed OpenAPI document from a build of it. */
export const WRITE_OPENAPI_FLAG = '--write-openapi';

export interface ServiceOpenApiOptions {
  service: string;
  title: string;
  description: string;
  /** What the bearer token is, and how to get one locally (Swagger UI's "Authorize"). */
  token: string;
  /** The service's app module for an environment (its configuration parsed from it). */
  module: (env: Record<string, string>) => DynamicModule;
}

/**
 * A service's OpenAPI document, served and committed: what its routes declare (zod schemas and
 * Nest's swagger decorators), with the API's title and sign-in. The committed copy
 * (apps/<service>/openapi.json) is written by `node dist/apps/<service>/main.js --write-openapi`,
 * and each service's openapi.spec.ts fails when it differs from the served one, so a change to the
 * API shows in a diff (and the console's generated types follow it).
 */
export class ServiceOpenApi {
  /** The committed copy, relative to the repository root. */
  readonly file: string;

  constructor(private readonly options: ServiceOpenApiOptions) {
    this.file = `apps/${options.service}/openapi.json`;
  }

  /** The document of the routes of `app`. */
  documentOf(app: INestApplication): OpenAPIObject {
    const { title, description, token } = this.options;
    const config = new DocumentBuilder()
      .setTitle(title)
      .setDescription(description)
      .setVersion('1.0.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: token })
      .build();
    return SwaggerModule.createDocument(app, config);
  }

  /** The document at /docs-json and Swagger UI at /docs ("Authorize" takes a token, kept across reloads). */
  mount(app: NestExpressApplication): void {
    SwaggerModule.setup('docs', app, () => this.documentOf(app), { jsonDocumentUrl: 'docs-json', swaggerOptions: { persistAuthorization: true } });
  }

  /**
   * The document a service with the default settings serves (the fault switch's /admin/faults off),
   * built without a database or Kafka: Nest's preview mode reads the module graph and the routes'
   * decorators and creates no provider, so nothing connects. The addresses below are never used.
   */
  async built(): Promise<OpenAPIObject> {
    const { service } = this.options;
    const module = this.options.module({
      DATABASE_URL: `postgres://unused@127.0.0.1/shop_${service}`,
      KAFKA_BROKERS: '127.0.0.1:9092',
      KAFKA_SASL_USERNAME: service,
      KAFKA_SASL_PASSWORD: 'unused',
      OIDC_ISSUER: 'http://127.0.0.1:8180/realms/shop',
    });
    const app = await NestFactory.create(module, { preview: true, logger: false, abortOnError: false });
    try {
      return this.documentOf(app);
    } finally {
      await app.close();
    }
  }

  /** The committed file's text: the document as JSON, two-space indented, one trailing newline. */
  static text(document: OpenAPIObject): string {
    return `${JSON.stringify(document, null, 2)}\n`;
  }

  /** `--write-openapi`: writes the committed copy (relative to the working directory, the repository root). */
  async write(): Promise<void> {
    writeFileSync(this.file, ServiceOpenApi.text(await this.built()));
    process.stdout.write(`${this.options.service}: wrote ${this.file}\n`);
  }
}
