import { cancelsAtOnce, isTestOrderPath, slowParticipantOf, TEST_ORDER_PATHS, testOrderBody, type TestOrderPath } from './test-orders';

describe('test orders', () => {
  it("puts each path's trigger into the body", () => {
    const customer = { name: 'Shop Admin' };
    expect(testOrderBody('out-of-stock', customer).lines).toEqual([{ sku: 'SOLD-OUT-CAP', quantity: 1 }]);
    expect(testOrderBody('payment-declined', customer).paymentMethod).toBe('card_declined');
    expect(testOrderBody('shipment-impossible', customer).shippingAddress.country).toBe('AQ');
    expect(testOrderBody('happy', customer)).toEqual({
      lines: [{ sku: 'MUG-LOGO', quantity: 1 }],
      shippingAddress: { name: 'Shop Admin', street: '1 Test Street', city: 'Springfield', postalCode: '12345', country: 'DE' },
      paymentMethod: 'card',
    });
  });

  it('knows its paths and nothing else', () => {
    expect(isTestOrderPath('happy')).toBe(true);
    expect(isTestOrderPath('toString')).toBe(false);
    expect(isTestOrderPath(undefined)).toBe(false);
  });

  it('slows payment by 3 s on the slow-participant path only, and cancels on the cancel path only', () => {
    expect(slowParticipantOf('slow-payment')).toEqual({ service: 'payment', delayMs: 3000, step: 'CHARGE_PAYMENT' });
    expect(cancelsAtOnce('cancel')).toBe(true);
    const others = (Object.keys(TEST_ORDER_PATHS) as TestOrderPath[]).filter((p) => p !== 'slow-payment' && p !== 'cancel');
    expect(others.map(slowParticipantOf)).toEqual(others.map(() => null));
    expect(others.some(cancelsAtOnce)).toBe(false);
  });
});
