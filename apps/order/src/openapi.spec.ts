import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ServiceOpenApi } from '@shop/platform';
import { orderApi } from './openapi';

const committedFile = resolve(__dirname, '../../..', orderApi.file);

/** The committed document is the one the service serves, so a change to the API shows in a diff (and the console's types follow it). */
describe('the order API OpenAPI document', () => {
  it(`${orderApi.file} is what the service serves (after a change to the API run: npm run order:openapi, which also writes the console's types from it)`, async () => {
    const served = ServiceOpenApi.text(await orderApi.built());
    expect(readFileSync(committedFile, 'utf8')).toBe(served);
  });

  it('documents every route of the order API, and nothing that needs the fault switch', async () => {
    const { paths } = await orderApi.built();
    expect(Object.keys(paths).sort()).toEqual(['/health/live', '/health/ready', '/metrics', '/orders', '/orders/{id}', '/orders/{id}/cancel', '/orders/{id}/history', '/products']);
  });
});
