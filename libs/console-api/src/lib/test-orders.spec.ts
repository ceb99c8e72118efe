import { isTestOrderPath, testOrderBody } from './test-orders';

describe('test orders', () => {
  it("puts each path's trigger into the body", () => {
    const customer = { name: 'Shop Admin', email: 'shop-admin@example.com' };
    expect(testOrderBody('out-of-stock', customer).lines).toEqual([{ sku: 'SOLD-OUT-CAP', quantity: 1 }]);
    expect(testOrderBody('payment-declined', customer).paymentMethod).toBe('card_declined');
    expect(testOrderBody('shipment-impossible', customer).shippingAddress.country).toBe('AQ');
    expect(testOrderBody('happy', customer)).toMatchObject({ customerEmail: 'shop-admin@example.com', paymentMethod: 'card', lines: [{ sku: 'MUG-LOGO', quantity: 1 }] });
  });

  it('knows its paths and nothing else', () => {
    expect(isTestOrderPath('happy')).toBe(true);
    expect(isTestOrderPath('toString')).toBe(false);
    expect(isTestOrderPath(undefined)).toBe(false);
  });
});
