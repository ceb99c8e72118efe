import { decodeEnvelope, type Envelope } from '@shop/messaging';
import { infra, OPS_CLIENT, queryDatabase, recreateDatabase, startInfra, startServiceProcess, Tokens, waitFor, type ServiceProcess } from '@shop/testing';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { randomUUID } from 'node:crypto';

interface Answer {
  status: number;
  contentType: string | null;
  replayed: boolean;
  body: Record<string, unknown>;
}

/**
 * The built inventory service's admin API against real Postgres, Kafka and Keycloak: adding a
 * product and receiving stock change the database and publish the product's new state to the
 * compacted catalog topic through the outbox; a receipt sent again (also concurrently) adds once.
 */
describe('inventory: adding products and receiving stock over the admin API', () => {
  const kafka = new Kafka({ clientId: 'inventory-receipts-test', brokers: [infra.kafkaBrokers], ssl: infra.kafkaSsl, sasl: infra.kafkaSasl, logLevel: logLevel.NOTHING });
  const tokens = new Tokens();
  let proc: ServiceProcess;
  let databaseUrl: string;
  let catalog: Consumer;
  const published: Envelope[] = [];
  // One SKU per run: the catalog topic is shared and compacted, earlier runs' messages are still in it.
  const sku = `RCPT-${randomUUID().slice(0, 8).toUpperCase()}`;

  const call = async (method: string, path: string, body: unknown, user?: string): Promise<Answer> => {
    const res = await fetch(`${proc.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(user ? await tokens.header(user) : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    return { status: res.status, contentType: res.headers.get('content-type'), replayed: res.headers.get('idempotent-replayed') === 'true', body: (await res.json()) as Record<string, unknown> };
  };
  const receive = (receipt: unknown, user = OPS_CLIENT) => call('POST', '/stock-receipts', receipt, user);
  const stockOf = async (s: string) => (await queryDatabase<{ available: number }>(databaseUrl, 'SELECT available FROM product WHERE sku = $1', [s]))[0]?.available;
  const receiptsOf = async (receiptId: string) => (await queryDatabase(databaseUrl, 'SELECT * FROM stock_receipt WHERE receipt_id = $1', [receiptId])).length;
  const catalogStates = () => published.filter((e) => (e.data as { sku?: string }).sku === sku).map((e) => (e.data as { available: number }).available);

  beforeAll(async () => {
    await startInfra(['keycloak']);
    databaseUrl = await recreateDatabase('test_inventory_receipts');
    proc = startServiceProcess('inventory', { PORT: '3132', DATABASE_URL: databaseUrl, ...infra.kafkaEnv('inventory'), OIDC_ISSUER: infra.oidcIssuer() });
    await proc.waitUntilReady();
    catalog = kafka.consumer({ groupId: `inventory-catalog-reader-${randomUUID()}` });
    await catalog.connect();
    await catalog.subscribe({ topic: 'inventory.catalog', fromBeginning: true });
    await catalog.run({ eachMessage: async ({ message }) => void published.push(decodeEnvelope(message)) });
  }, 300_000);

  afterAll(async () => {
    await catalog?.disconnect();
    await proc?.stop();
  });

  it('adds a product with no stock and publishes it; the SKU again is a conflict', async () => {
    const added = await call('POST', '/products', { sku, name: 'Receipt test mug', priceCents: 1450, currency: 'EUR' }, OPS_CLIENT);
    expect(added).toMatchObject({ status: 201, body: { sku, name: 'Receipt test mug', priceCents: 1450, currency: 'EUR', available: 0, reserved: 0 } });
    await waitFor(`the catalog message of ${sku}`, async () => catalogStates().length === 1, 30_000);
    expect(published.find((e) => (e.data as { sku?: string }).sku === sku)).toMatchObject({ type: 'inventory.product-catalog-updated', source: 'inventory', data: { sku, priceCents: 1450, currency: 'EUR', available: 0 } });

    const again = await call('POST', '/products', { sku, name: 'Another name', priceCents: 1, currency: 'EUR' }, OPS_CLIENT);
    expect(again).toMatchObject({ status: 409, contentType: expect.stringMatching(/^application\/problem\+json/), body: { code: 'INVENTORY.PRODUCT_EXISTS' } });
    expect(await call('POST', '/products', { sku: 'lower case', name: '', priceCents: -1, currency: 'EUR' }, OPS_CLIENT)).toMatchObject({
      status: 400,
      body: { code: 'REQUEST.INVALID', errors: expect.arrayContaining([expect.objectContaining({ field: 'sku' }), expect.objectContaining({ field: 'name' }), expect.objectContaining({ field: 'priceCents' })]) },
    });
  });

  it('a receipt sent five times at once adds its units once: the same answer to each, one catalog message', async () => {
    const receipt = { receiptId: `DN-${randomUUID()}`, sku, quantity: 7 };
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => receive(receipt)));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(answers[0].body).toMatchObject({ ...receipt, availableAfter: 7 });
    expect(await stockOf(sku)).toBe(7);
    expect(await receiptsOf(receipt.receiptId)).toBe(1);

    // Another delivery adds on top; the catalog carries each new state, once.
    expect((await receive({ receiptId: `DN-${randomUUID()}`, sku, quantity: 3 })).body).toMatchObject({ availableAfter: 10 });
    await waitFor('the catalog to show 10 available', async () => catalogStates().includes(10), 30_000);
    expect(catalogStates()).toEqual([0, 7, 10]);

    // Later, the same receipt still answers what it recorded then.
    expect(await receive(receipt)).toMatchObject({ status: 201, replayed: true, body: answers[0].body });
    expect(await stockOf(sku)).toBe(10);
  });

  it('the receipt id with other contents is a conflict, and changes nothing', async () => {
    const receiptId = `DN-${randomUUID()}`;
    await receive({ receiptId, sku, quantity: 2 });
    const before = await stockOf(sku);
    const conflict = await receive({ receiptId, sku, quantity: 20 });
    expect(conflict).toMatchObject({ status: 409, contentType: expect.stringMatching(/^application\/problem\+json/), body: { code: 'INVENTORY.RECEIPT_CONFLICT', recorded: { sku, quantity: 2 } } });
    expect(await stockOf(sku)).toBe(before);
  });

  it('an unknown SKU is 404 and leaves no receipt behind: the id can then be used for a real delivery', async () => {
    const receiptId = `DN-${randomUUID()}`;
    expect(await receive({ receiptId, sku: 'NO-SUCH-SKU', quantity: 1 })).toMatchObject({ status: 404, body: { code: 'INVENTORY.UNKNOWN_SKU', sku: 'NO-SUCH-SKU' } });
    expect(await receiptsOf(receiptId)).toBe(0);
    const before = await stockOf(sku);
    expect(await receive({ receiptId, sku, quantity: 1 })).toMatchObject({ status: 201, replayed: false, body: { availableAfter: before + 1 } });
  });

  it('stock over the column is refused whole: no receipt, no change, no catalog message', async () => {
    const receiptId = `DN-${randomUUID()}`;
    const before = await stockOf(sku);
    await waitFor('the catalog to have caught up with the stock', async () => catalogStates().at(-1) === before, 30_000);
    const messages = catalogStates().length;
    expect(await receive({ receiptId, sku, quantity: 2_147_483_647 })).toMatchObject({ status: 422, body: { code: 'INVENTORY.STOCK_TOO_HIGH' } });
    expect(await stockOf(sku)).toBe(before);
    expect(await receiptsOf(receiptId)).toBe(0);
    // A marker receipt after it: its message arriving means anything the refused one wrote would have arrived before it.
    await receive({ receiptId: `DN-${randomUUID()}`, sku, quantity: 1 });
    await waitFor('the marker receipt on the catalog topic', async () => catalogStates().includes(before + 1), 30_000);
    expect(catalogStates().length).toBe(messages + 1);
  });

  it('refuses a quantity that is not a positive whole number with 400 naming the field', async () => {
    for (const quantity of [0, -3, 2.5, '4']) {
      const answer = await receive({ receiptId: `DN-${randomUUID()}`, sku, quantity });
      expect(answer).toMatchObject({ status: 400, contentType: expect.stringMatching(/^application\/problem\+json/), body: { code: 'REQUEST.INVALID', errors: [expect.objectContaining({ field: 'quantity' })] } });
    }
  });

  it('is for admins: a customer gets 403, no token 401; the admin lists every product with its stock', async () => {
    const receipt = { receiptId: `DN-${randomUUID()}`, sku, quantity: 100 };
    expect(await receive(receipt, 'alice')).toMatchObject({ status: 403, body: { code: 'AUTH.FORBIDDEN' } });
    expect(await call('POST', '/stock-receipts', receipt)).toMatchObject({ status: 401, body: { code: 'AUTH.TOKEN_REQUIRED' } });
    expect(await call('POST', '/products', { sku: 'ALICE-SKU', name: 'x', priceCents: 1, currency: 'EUR' }, 'alice')).toMatchObject({ status: 403 });
    expect(await call('GET', '/products', undefined, 'alice')).toMatchObject({ status: 403 });
    expect(await receiptsOf(receipt.receiptId)).toBe(0);

    const list = await call('GET', '/products', undefined, OPS_CLIENT);
    expect(list.status).toBe(200);
    const products = list.body as unknown as Array<{ sku: string; available: number }>;
    expect(products.find((p) => p.sku === sku)).toEqual({ sku, name: 'Receipt test mug', priceCents: 1450, currency: 'EUR', available: await stockOf(sku), reserved: 0 });
  });
});
