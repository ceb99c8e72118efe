import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI document at /docs-json and Swagger UI at /docs. */
export function mountOpenApi(app: NestExpressApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Shop: order API')
    .setDescription(
      'Place orders and follow them through the saga (stock, payment, shipment). Errors are application/problem+json with a stable `code`.',
    )
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from the shop realm (locally: `npm run -s token -- alice`)' })
    .build();
  // "Authorize" in Swagger UI takes a token; persisted across reloads of the page.
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config), { jsonDocumentUrl: 'docs-json', swaggerOptions: { persistAuthorization: true } });
}
