import { DomainError } from '@shop/platform/errors';
import { repeatOf, type StockReceipt } from './stock-receipt';

describe('a receipt id sent again', () => {
  const recorded: StockReceipt = { receiptId: 'DN-1', sku: 'MUG-LOGO', quantity: 12, availableAfter: 40, receivedAt: '2026-12-07T06:00:00.000Z' };

  it('with the same contents: the recorded answer, unchanged', () => {
    expect(repeatOf(recorded, { receiptId: 'DN-1', sku: 'MUG-LOGO', quantity: 12 })).toBe(recorded);
  });

  it.each([
    ['another quantity', { receiptId: 'DN-1', sku: 'MUG-LOGO', quantity: 13 }],
    ['another SKU', { receiptId: 'DN-1', sku: 'POSTER-LIMITED', quantity: 12 }],
  ])('with %s: a conflict naming what was recorded', (_, request) => {
    let error: unknown;
    try {
      repeatOf(recorded, request);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'INVENTORY.RECEIPT_CONFLICT', kind: 'CONFLICT', details: { receiptId: 'DN-1', recorded: { sku: 'MUG-LOGO', quantity: 12 } } });
  });
});
