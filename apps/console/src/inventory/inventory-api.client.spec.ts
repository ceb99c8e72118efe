import type { IncomingMessage } from 'node:http';
import type { ConsoleConfig } from '../config';
import { ShopServices } from '../operations/shop-services';
import { closedUrl, fakeHttpServer, json, refusal } from '../testing/fake-http-server';
import { InventoryApiClient } from './inventory-api.client';

const client = (url: string) => new InventoryApiClient(new ShopServices({ INVENTORY_URL: url } as ConsoleConfig));

/** What a request to the fake inventory carried: method, path, authorization and body. */
interface Seen {
  method?: string;
  path?: string;
  authorization?: string;
  contentType?: string;
  body: string;
}

async function fakeInventory(status: number, answer: unknown) {
  const seen: Seen[] = [];
  const server = await fakeHttpServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, path: req.url, authorization: req.headers.authorization, contentType: req.headers['content-type'], body });
      json(res, status, answer);
    });
  });
  return { ...server, seen };
}

describe('InventoryApiClient', () => {
  const products = [{ sku: 'MUG-LOGO', name: 'Mug', priceCents: 1250, currency: 'EUR', available: 40, reserved: 2 }];

  it("lists the products with the admin's token", async () => {
    const inventory = await fakeInventory(200, products);
    try {
      expect(await client(inventory.url).products('admin-token')).toEqual(products);
      expect(inventory.seen).toEqual([{ method: 'GET', path: '/products', authorization: 'Bearer admin-token', contentType: undefined, body: '' }]);
    } finally {
      await inventory.close();
    }
  });

  it('posts a receipt as the browser sent it and answers what inventory recorded', async () => {
    const receipt = { receiptId: 'r-1', sku: 'MUG-LOGO', quantity: 5 };
    const inventory = await fakeInventory(201, { ...receipt, availableAfter: 45, receivedAt: '2026-12-07T06:00:00.000Z' });
    try {
      expect(await client(inventory.url).receive('admin-token', receipt)).toEqual({ ...receipt, availableAfter: 45, receivedAt: '2026-12-07T06:00:00.000Z' });
      expect(inventory.seen).toEqual([{ method: 'POST', path: '/stock-receipts', authorization: 'Bearer admin-token', contentType: 'application/json', body: JSON.stringify(receipt) }]);
    } finally {
      await inventory.close();
    }
  });

  it.each([400, 404, 409, 422])("passes inventory's %i refusal on with its problem document", async (status) => {
    const problem = { type: 'urn:shop:problem:X', title: 'Refused', status, detail: 'quantity: must be at least 1', code: 'REQUEST.INVALID', errors: [{ field: 'quantity', message: 'must be at least 1' }] };
    const inventory = await fakeInventory(status, problem);
    try {
      expect(await refusal(client(inventory.url).receive('t', { receiptId: 'r', sku: 'MUG-LOGO', quantity: 0 }))).toEqual({ status, body: problem });
    } finally {
      await inventory.close();
    }
  });

  it.each([401, 403, 500])('answers 502 for its own failure (inventory said %i)', async (status) => {
    const inventory = await fakeInventory(status, { title: 'no' });
    try {
      expect(await refusal(client(inventory.url).products('t'))).toEqual({ status: 502, body: { title: 'The inventory API failed', detail: `GET /products answered ${status}`, status: 502 } });
    } finally {
      await inventory.close();
    }
  });

  it('fails when inventory does not answer', async () => {
    await expect(client(await closedUrl()).products('t')).rejects.toThrow();
  });
});
