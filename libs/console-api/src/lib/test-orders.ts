/**
 * The paths a test order can be sent down from the console, with what makes each happen (the
 * documented inputs of the root README's "Every failure path can be triggered on purpose").
 */
export const TEST_ORDER_PATHS = {
  'happy': { label: 'happy path (CONFIRMED)', sku: 'MUG-LOGO', paymentMethod: 'card', country: 'DE' },
  'out-of-stock': { label: 'out of stock (REJECTED, nothing to undo)', sku: 'SOLD-OUT-CAP', paymentMethod: 'card', country: 'DE' },
  'payment-declined': { label: 'payment declined (REJECTED, stock released)', sku: 'MUG-LOGO', paymentMethod: 'card_declined', country: 'DE' },
  'shipment-impossible': { label: 'shipment impossible (REJECTED, refunded, released)', sku: 'MUG-LOGO', paymentMethod: 'card', country: 'AQ' },
} as const;

export type TestOrderPath = keyof typeof TEST_ORDER_PATHS;

export const isTestOrderPath = (path: unknown): path is TestOrderPath => typeof path === 'string' && Object.hasOwn(TEST_ORDER_PATHS, path);

/** The body of the order API's POST /orders for a test order down `path`, for the signed-in `name` and `email`. */
export function testOrderBody(path: TestOrderPath, customer: { name: string; email: string }) {
  const { sku, paymentMethod, country } = TEST_ORDER_PATHS[path];
  return {
    customerEmail: customer.email,
    customerName: customer.name,
    lines: [{ sku, quantity: 1 }],
    shippingAddress: { name: customer.name, street: '1 Test Street', city: 'Springfield', postalCode: '12345', country },
    paymentMethod,
  };
}
