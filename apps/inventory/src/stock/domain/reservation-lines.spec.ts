import { lockOrderLines } from './reservation-lines';

describe('lockOrderLines', () => {
  it('sorts by SKU, so any two orders lock shared products in the same order', () => {
    const a = lockOrderLines([{ sku: 'TSHIRT-RED-L', quantity: 1 }, { sku: 'MUG-LOGO', quantity: 2 }]);
    const b = lockOrderLines([{ sku: 'MUG-LOGO', quantity: 5 }, { sku: 'TSHIRT-RED-L', quantity: 3 }]);
    expect(a.map((l) => l.sku)).toEqual(['MUG-LOGO', 'TSHIRT-RED-L']);
    expect(b.map((l) => l.sku)).toEqual(a.map((l) => l.sku));
  });

  it('adds up a SKU that appears on several lines: one row, taken once', () => {
    expect(lockOrderLines([{ sku: 'MUG-LOGO', quantity: 2 }, { sku: 'POSTER-LIMITED', quantity: 1 }, { sku: 'MUG-LOGO', quantity: 3 }])).toEqual([
      { sku: 'MUG-LOGO', quantity: 5 },
      { sku: 'POSTER-LIMITED', quantity: 1 },
    ]);
  });

  it('orders by code unit, not by locale (the same order as Postgres "C" collation and every runtime)', () => {
    expect(lockOrderLines([{ sku: 'a', quantity: 1 }, { sku: 'B', quantity: 1 }, { sku: 'A-2', quantity: 1 }]).map((l) => l.sku)).toEqual(['A-2', 'B', 'a']);
  });

  it('an empty order is no lines', () => {
    expect(lockOrderLines([])).toEqual([]);
  });
});
