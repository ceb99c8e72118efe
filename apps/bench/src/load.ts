import type { Tokens } from '@shop/testing';

/** The paths an offered order can be sent down (the README's documented failure inputs). */
export const PATHS = ['happy', 'out-of-stock', 'declined', 'unshippable'] as const;
export type OrderPath = (typeof PATHS)[number];
export type Mix = Array<{ path: OrderPath; share: number }>;

/** The product the happy path orders; the benchmark tops its stock up before it starts. */
export const BENCH_SKU = 'STICKER-PACK';
/**
 * The realm's load-test customers (shopper-01..20 in scripts/infra/keycloak/shop-realm.json), each
 * signed in with their own token: the i-th order is placed by `loadCustomer(i)`, so the load
 * spreads over 20 payment accounts (10,000 EUR opening balance each).
 */
export const LOAD_CUSTOMERS = Array.from({ length: 20 }, (_, i) => `shopper-${String(i + 1).padStart(2, '0')}`);
export const loadCustomer = (i: number) => LOAD_CUSTOMERS[i % LOAD_CUSTOMERS.length];

/**
 * Signs every load customer in, so no order waits for Keycloak once the load has started. One at
 * a time: Keycloak hashes each password (PBKDF2), and twenty sign-ins at once, on a machine busy
 * with a three-node cluster, have taken longer than a token request's 15 s.
 */
export async function signInLoadCustomers(tokens: Tokens): Promise<void> {
  for (const customer of LOAD_CUSTOMERS) await tokens.of(customer);
}

/** Parses `happy=90,declined=10`; shares are normalised to 1. */
export function parseMix(text: string): Mix {
  const mix = text.split(',').map((part) => {
    const [path, share] = part.split('=');
    if (!(PATHS as readonly string[]).includes(path)) throw new Error(`--mix: unknown path "${path}" (one of ${PATHS.join(', ')})`);
    const n = Number(share);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--mix: the share of ${path} must be a number >= 0, got "${share}"`);
    return { path: path as OrderPath, share: n };
  });
  const total = mix.reduce((s, m) => s + m.share, 0);
  if (total <= 0) throw new Error('--mix: the shares add up to 0');
  return mix.map((m) => ({ ...m, share: m.share / total }));
}

/** The path of the i-th order: deterministic, spread evenly (order i takes the share its position falls in). */
export function pathOf(mix: Mix, i: number): OrderPath {
  const x = ((i * 0.6180339887) % 1 + 1) % 1; // golden-ratio sequence: evenly spread, no clumps
  let acc = 0;
  for (const m of mix) {
    acc += m.share;
    if (x < acc) return m.path;
  }
  return mix[mix.length - 1].path;
}

/** An order down `path`; the customer (id, email address, name) is whoever's token sends it. */
export function orderBody(path: OrderPath): unknown {
  return {
    lines: [{ sku: path === 'out-of-stock' ? 'SOLD-OUT-CAP' : BENCH_SKU, quantity: 1 }],
    shippingAddress: { name: 'Bench Customer', street: '1 Main Street', city: 'Springfield', postalCode: '12345', country: path === 'unshippable' ? 'AQ' : 'DE' },
    paymentMethod: path === 'declined' ? 'card_declined' : 'card',
  };
}

export interface Offered {
  /** Set when the API accepted the order (202). */
  orderId?: string;
  status: number | string;
  path: OrderPath;
}

/**
 * Offers `rate` orders a second for `seconds`, open loop: each POST leaves on its schedule
 * whether or not the earlier ones were answered, so a slow shop cannot slow the offered load.
 * The i-th order goes to `apis[i % apis.length]` (the order API of each replica in turn).
 */
export async function offer(apis: string[], tokens: Tokens, run: string, rate: number, seconds: number, mix: Mix, firstIndex: number, onProgress: (sent: number, total: number) => void): Promise<Offered[]> {
  const total = Math.round(rate * seconds);
  await signInLoadCustomers(tokens); // before the clock starts
  const started = performance.now();
  const answers: Array<Promise<Offered>> = [];
  for (let i = 0; i < total; i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const n = firstIndex + i;
    const path = pathOf(mix, n);
    const customer = loadCustomer(n);
    answers.push(
      tokens
        .header(customer)
        .then((signedIn) =>
          fetch(`${apis[n % apis.length]}/orders`, {
            method: 'POST',
            headers: { ...signedIn, 'content-type': 'application/json', 'idempotency-key': `bench-${run}-${n}` },
            body: JSON.stringify(orderBody(path)),
          }),
        )
        .then(
          async (res) => {
            const body = (await res.json().catch(() => ({}))) as { orderId?: string };
            return { status: res.status, path, ...(res.status === 202 ? { orderId: body.orderId } : {}) };
          },
          (error: unknown) => ({ status: (error as { cause?: { code?: string } }).cause?.code ?? String(error), path }),
        ),
    );
    if (i % Math.max(1, Math.round(rate)) === 0) onProgress(i, total);
  }
  return Promise.all(answers);
}
