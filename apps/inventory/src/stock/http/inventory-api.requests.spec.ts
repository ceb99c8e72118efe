import { BadRequestException } from '@nestjs/common';
import { validate } from '@shop/platform';
import { newProductRequest, stockReceiptRequest } from './inventory-api.requests';

/** The field-by-field problems validate() answers 400 with, or the parsed body. */
function problems(schema: typeof stockReceiptRequest | typeof newProductRequest, body: unknown): Array<{ field: string; message: string }> {
  try {
    validate(schema, body);
  } catch (e) {
    expect(e).toBeInstanceOf(BadRequestException);
    return ((e as BadRequestException).getResponse() as { errors: Array<{ field: string; message: string }> }).errors;
  }
  return [];
}
const fields = (schema: Parameters<typeof problems>[0], body: unknown) => problems(schema, body).map((p) => p.field);

describe('POST /stock-receipts body', () => {
  const valid = { receiptId: 'DN-2026-0001', sku: 'MUG-LOGO', quantity: 24 };

  it('takes a receipt id, an existing-looking SKU and a positive whole quantity', () => {
    expect(validate(stockReceiptRequest, valid)).toEqual(valid);
    expect(validate(stockReceiptRequest, { ...valid, quantity: 2_147_483_647 })).toEqual({ ...valid, quantity: 2_147_483_647 });
  });

  it.each([
    ['zero', 0, 'must be at least 1'],
    ['negative', -5, 'must be at least 1'],
    ['a fraction', 1.5, 'must be a whole number'],
    ['over the integer column', 2_147_483_648, 'must be at most 2147483647'],
  ])('refuses a quantity that is %s, naming the field', (_, quantity, message) => {
    expect(problems(stockReceiptRequest, { ...valid, quantity })).toEqual([{ field: 'quantity', message }]);
  });

  it('refuses a quantity sent as a string (no coercion)', () => {
    expect(fields(stockReceiptRequest, { ...valid, quantity: '5' })).toEqual(['quantity']);
  });

  it('names every bad field at once, and an unknown one', () => {
    expect(fields(stockReceiptRequest, { receiptId: 'has space', sku: 'mug-logo', quantity: 0, note: 'x' }).sort()).toEqual(['(root)', 'quantity', 'receiptId', 'sku']);
    expect(fields(stockReceiptRequest, {}).sort()).toEqual(['quantity', 'receiptId', 'sku']);
    expect(fields(stockReceiptRequest, null)).toEqual(['(root)']);
  });
});

describe('POST /products body', () => {
  const valid = { sku: 'TOTE-BAG', name: 'Tote bag', priceCents: 1299, currency: 'EUR' };

  it('takes a SKU, a name, a price in minor units and a currency; the name trimmed', () => {
    expect(validate(newProductRequest, { ...valid, name: '  Tote bag ' })).toEqual(valid);
    expect(validate(newProductRequest, { ...valid, priceCents: 0 })).toEqual({ ...valid, priceCents: 0 });
  });

  it.each([
    ['a negative price', { priceCents: -1 }, 'priceCents'],
    ['a price in major units', { priceCents: 12.99 }, 'priceCents'],
    ['a blank name', { name: '   ' }, 'name'],
    ['a lower-case currency', { currency: 'eur' }, 'currency'],
    ['a SKU with a space', { sku: 'TOTE BAG' }, 'sku'],
  ])('refuses %s, naming the field', (_, change, field) => {
    expect(fields(newProductRequest, { ...valid, ...change })).toEqual([field]);
  });
});
