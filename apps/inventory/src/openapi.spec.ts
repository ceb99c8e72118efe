import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ServiceOpenApi } from '@shop/platform';
import { inventoryApi } from './openapi';

const committedFile = resolve(__dirname, '../../..', inventoryApi.file);

/** The committed document is the one the service serves, so a change to the API shows in a diff (and the console's types follow it). */
describe('the inventory admin API OpenAPI document', () => {
  it(`${inventoryApi.file} is what the service serves (after a change to the API run: npm run inventory:openapi, which also writes the console's types from it)`, async () => {
    expect(readFileSync(committedFile, 'utf8')).toBe(ServiceOpenApi.text(await inventoryApi.built()));
  });

  it('documents the admin routes with their bodies and every refusal', async () => {
    const { paths } = await inventoryApi.built();
    expect(Object.keys(paths).sort()).toEqual(['/health/live', '/health/ready', '/metrics', '/products', '/stock-receipts']);
    const receive = paths['/stock-receipts'].post;
    expect(Object.keys(receive?.responses ?? {}).sort()).toEqual(['201', '400', '401', '403', '404', '409', '422']);
    const body = (receive?.requestBody as { content: Record<string, { schema: { required: string[]; additionalProperties: boolean } }> }).content['application/json'].schema;
    expect(body).toMatchObject({ required: ['receiptId', 'sku', 'quantity'], additionalProperties: false });
    expect(Object.keys(paths['/products'].post?.responses ?? {}).sort()).toEqual(['201', '400', '401', '403', '409']);
    expect(Object.keys(paths['/products'].get?.responses ?? {}).sort()).toEqual(['200', '401', '403']);
  });
});
