// `helm test <release>` (templates/tests/place-order.yaml): run by node in the shop image.
// 1. every service answers 200 on /health/ready (Postgres and Kafka reachable);
// 2. the order API serves its OpenAPI document with POST /orders;
// 3. with TEST_USERNAME: signs in (password grant of the public client CLIENT_ID at TOKEN_URL, as
//    `npm run token` does), orders one unit of a product in stock and waits until the saga
//    confirms it. Exits 1 naming the step that failed.
// Settings (environment): READY_URLS (space-separated base URLs), ORDER_URL, TOKEN_URL, CLIENT_ID,
// TEST_USERNAME, TEST_PASSWORD, TIMEOUT_SECONDS.
const env = (name) => process.env[name] ?? '';
const deadline = Date.now() + Number(env('TIMEOUT_SECONDS') || '120') * 1000;
const orderApi = env('ORDER_URL');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const short = (text) => text.replace(/\s+/g, ' ').slice(0, 400);

function fail(message) {
  console.error(`FAIL ${message}`);
  process.exit(1);
}

async function call(method, url, { headers = {}, json, form } = {}) {
  const body = json ? JSON.stringify(json) : form ? new URLSearchParams(form).toString() : undefined;
  const type = json ? { 'content-type': 'application/json' } : form ? { 'content-type': 'application/x-www-form-urlencoded' } : {};
  const response = await fetch(url, { method, headers: { ...headers, ...type }, body, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, json: parsed, text };
}

/** Runs probe every 2 s until it says ok (returns its value) or the deadline passes (fails with its last answer). */
async function until(what, probe) {
  let last = 'no answer';
  for (;;) {
    try {
      const r = await probe();
      if (r.ok) return r.value;
      last = r.why;
    } catch (e) {
      last = e?.cause?.code ?? e?.message ?? String(e);
    }
    if (Date.now() > deadline) fail(`${what}: ${last}`);
    await sleep(2000);
  }
}

for (const base of env('READY_URLS').split(/\s+/).filter(Boolean)) {
  await until(`${base}/health/ready`, async () => {
    const r = await call('GET', `${base}/health/ready`);
    return { ok: r.status === 200, why: `HTTP ${r.status} ${short(r.text)}` };
  });
  console.log(`ok ${base}/health/ready`);
}

const doc = await call('GET', `${orderApi}/docs-json`);
if (doc.status !== 200 || !String(doc.json?.openapi ?? '').startsWith('3.') || !doc.json?.paths?.['/orders']?.post) {
  fail(`${orderApi}/docs-json is not the order API's OpenAPI document: HTTP ${doc.status} ${short(doc.text)}`);
}
console.log(`ok ${orderApi}/docs-json: OpenAPI ${doc.json.openapi}, ${Object.keys(doc.json.paths).length} paths`);

const username = env('TEST_USERNAME');
if (!username) {
  console.log('no order placed: tests.signIn.username is empty (k8s/README.md, "helm test")');
  process.exit(0);
}
const token = await call('POST', env('TOKEN_URL'), { form: { grant_type: 'password', client_id: env('CLIENT_ID'), username, password: env('TEST_PASSWORD') } });
if (!token.json?.access_token) {
  fail(`sign-in as ${username} at ${env('TOKEN_URL')}: HTTP ${token.status} ${token.json?.error ?? ''} ${token.json?.error_description ?? short(token.text)}`);
}
const auth = { authorization: `Bearer ${token.json.access_token}` };
console.log(`ok signed in as ${username}`);

const products = await call('GET', `${orderApi}/products`);
const product = Array.isArray(products.json) ? products.json.find((p) => p.available >= 1) : undefined;
if (!product) fail(`no product in stock at ${orderApi}/products: HTTP ${products.status} ${short(products.text)}`);

const placed = await call('POST', `${orderApi}/orders`, {
  headers: { ...auth, 'idempotency-key': `helm-test-${Date.now()}` },
  // The customer, the address their emails go to and their name are the token's (sub, email, name).
  json: {
    lines: [{ sku: product.sku, quantity: 1 }],
    shippingAddress: { name: 'Helm test', street: '1 Main Street', city: 'Springfield', postalCode: '12345', country: 'DE' },
    paymentMethod: 'card',
  },
});
if (placed.status !== 202 || !placed.json?.orderId) fail(`POST ${orderApi}/orders: HTTP ${placed.status} ${short(placed.text)}`);
const { orderId } = placed.json;
console.log(`ok order ${orderId} placed (1 x ${product.sku})`);

const status = await until(`order ${orderId} confirmed`, async () => {
  const r = await call('GET', `${orderApi}/orders/${orderId}`, { headers: auth });
  const s = r.json?.status;
  if (s === 'REJECTED' || s === 'CANCELLED') fail(`order ${orderId} ended ${s}: ${r.json?.failureReason ?? ''}`);
  return { ok: ['CONFIRMED', 'SHIPPED', 'DELIVERED'].includes(s), value: s, why: s ? `still ${s}` : `HTTP ${r.status} ${short(r.text)}` };
});
console.log(`ok order ${orderId} ${status}`);
