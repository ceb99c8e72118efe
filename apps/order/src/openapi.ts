import { ServiceOpenApi } from '@shop/platform';
import { AppModule } from './app.module';
import { configSchema } from './config';

/** The order API's OpenAPI document (served at /docs, committed as apps/order/openapi.json: `npm run order:openapi`). */
export const orderApi = new ServiceOpenApi({
  service: 'order',
  title: 'Shop: order API',
  description: 'Place orders and follow them through the saga (stock, payment, shipment). Errors are application/problem+json with a stable `code`.',
  token: 'An access token from the shop realm (locally: `npm run -s token -- alice`)',
  module: (env) => AppModule.forRoot(configSchema.parse(env)),
});
