import { breakingChanges } from './compatibility';
import { OrderConfirmedV1 } from './messages/order/order-confirmed.v1';
import type { JsonSchema } from './message-definition';

/** The gate itself: it must refuse each kind of breaking edit, and let additive ones through. */
/** A schema copy a test may edit freely. */
type Editable = { properties: Record<string, Record<string, unknown>>; required: string[] };

describe('schema compatibility gate', () => {
  const published = OrderConfirmedV1.schema;
  const edit = (change: (s: Editable) => void): JsonSchema => {
    const copy = structuredClone(published) as unknown as Editable;
    change(copy);
    return copy as unknown as JsonSchema;
  };

  it('passes the schema unchanged', () => {
    expect(breakingChanges(published, published)).toEqual([]);
  });

  it('passes a new optional field and a looser constraint', () => {
    const additive = edit((s) => {
      s.properties.giftMessage = { type: 'string', maxLength: 200 };
      delete s.properties.customerName.maxLength;
    });
    expect(breakingChanges(published, additive)).toEqual([]);
  });

  it.each<[string, (s: Editable) => void, string]>([
    ['a field removed', (s) => delete s.properties.totalCents, '$.totalCents: removed'],
    ['a field retyped', (s) => (s.properties.totalCents = { type: 'string' }), '$.totalCents: type changed from "integer" to "string"'],
    [
      'an optional field made required',
      (s) => {
        s.properties.giftMessage = { type: 'string' };
        s.required.push('giftMessage');
      },
      '$.giftMessage: new required field',
    ],
    ['a tighter pattern', (s) => (s.properties.currency.pattern = '^EUR$'), '$.currency: pattern changed from "^[A-Z]{3}$" to "^EUR$"'],
    ['a lower maximum length', (s) => (s.properties.customerName.maxLength = 20), '$.customerName: maxLength lowered from 500 to 20'],
  ])('refuses %s, naming the field', (_name, change, expected) => {
    expect(breakingChanges(published, edit(change))).toContain(expected);
  });

  it('treats an existing optional field turned required as breaking', () => {
    const withOptional = edit((s) => (s.properties.note = { type: 'string' }));
    const nowRequired = edit((s) => {
      s.properties.note = { type: 'string' };
      s.required.push('note');
    });
    expect(breakingChanges(withOptional, nowRequired)).toEqual(['$.note: was optional, is now required']);
  });

  it('looks inside arrays', () => {
    const before: JsonSchema = { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] } };
    const after: JsonSchema = { type: 'array', items: { type: 'object', properties: {}, required: [] } };
    expect(breakingChanges(before, after)).toEqual(['$[].sku: removed']);
  });
});
