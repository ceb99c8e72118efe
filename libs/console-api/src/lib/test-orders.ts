/**
 * The paths a test order can be sent down from the console, with what makes each happen (the
 * documented inputs of the root README's "Every failure path can be triggered on purpose").
 */
export const TEST_ORDER_PATHS = {
  'happy': { label: 'happy path (CONFIRMED)', sku: 'MUG-LOGO', paymentMethod: 'card', country: 'DE' },
  'out-of-stock': { label: 'out of stock (REJECTED, nothing to undo)', sku: 'SOLD-OUT-CAP', paymentMethod: 'card', country: 'DE' },
  'payment-declined': { label: 'payment declined (REJECTED, stock released)', sku: 'MUG-LOGO', paymentMethod: 'card_declined', country: 'DE' },
  'shipment-impossible': { label: 'shipment impossible (REJECTED, refunded, released)', sku: 'MUG-LOGO', paymentMethod: 'card', country: 'AQ' },
  // The fault switch (PUT /admin/faults) makes payment wait 3 s before it charges: well under the
  // order's 10 s step deadline, so the order is still CONFIRMED, with a long CHARGE_PAYMENT step.
  'slow-payment': { label: 'slow participant: payment waits 3 s (under the 10 s step deadline; CONFIRMED)', sku: 'MUG-LOGO', paymentMethod: 'card', country: 'DE', slow: { service: 'payment', delayMs: 3000, step: 'CHARGE_PAYMENT' } },
  // POST /orders/:id/cancel right after placing: allowed until dispatch, so the saga undoes what it did.
  'cancel': { label: 'cancelled at once (CANCELLED, every step undone)', sku: 'MUG-LOGO', paymentMethod: 'card', country: 'DE', cancel: true },
} as const;

export type TestOrderPath = keyof typeof TEST_ORDER_PATHS;

export const isTestOrderPath = (path: unknown): path is TestOrderPath => typeof path === 'string' && Object.hasOwn(TEST_ORDER_PATHS, path);

/**
 * The body of the order API's POST /orders for a test order down `path`, shipped to the signed-in
 * user's `name`. The customer, their address and name are the API's to take from the token: the
 * body does not name them.
 */
export function testOrderBody(path: TestOrderPath, customer: { name: string }) {
  const { sku, paymentMethod, country } = TEST_ORDER_PATHS[path];
  return {
    lines: [{ sku, quantity: 1 }],
    shippingAddress: { name: customer.name, street: '1 Test Street', city: 'Springfield', postalCode: '12345', country },
    paymentMethod,
  };
}

/** The slow participant of a path, if it has one: which service waits how long, and the step that shows it. */
export function slowParticipantOf(path: TestOrderPath): { service: string; delayMs: number; step: string } | null {
  const p = TEST_ORDER_PATHS[path];
  return 'slow' in p ? p.slow : null;
}

/** Whether a path cancels its order right after placing it. */
export const cancelsAtOnce = (path: TestOrderPath): boolean => 'cancel' in TEST_ORDER_PATHS[path];
