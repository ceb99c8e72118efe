import { ServiceOpenApi } from '@shop/platform';
import { AppModule } from './app.module';
import { configSchema } from './config';

/** The inventory admin API's OpenAPI document (served at /docs, committed as apps/inventory/openapi.json: `npm run inventory:openapi`). */
export const inventoryApi = new ServiceOpenApi({
  service: 'inventory',
  title: 'Shop: inventory admin API',
  description: 'Add products and receive stock (the admin role only). Errors are application/problem+json with a stable `code`.',
  token: 'An admin access token from the shop realm (locally: `npm run -s token -- --admin`)',
  module: (env) => AppModule.forRoot(configSchema.parse(env)),
});
