import { readFileSync } from 'node:fs';
import { ORDER_STATUSES, type Order } from './console-api';
import { INVENTORY_API_DOCUMENT, INVENTORY_API_TYPES, inventoryApiTypes, ORDER_API_DOCUMENT, ORDER_API_TYPES, orderApiTypes, schemaType, type OpenApiDocument } from './openapi-types';

/** Both ways assignable: the same set of values. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

describe("the console's types of the order API", () => {
  const document = JSON.parse(readFileSync(ORDER_API_DOCUMENT, 'utf8')) as OpenApiDocument & { paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { schema: { properties: { status: { enum: string[] } } } }> }> }>> };

  it('order-api.generated.ts is what the committed apps/order/openapi.json generates (run npm run order:openapi after a change to the order API)', () => {
    expect(readFileSync(ORDER_API_TYPES, 'utf8')).toBe(orderApiTypes(document));
  });

  it("lists the order API's statuses, no more and no fewer", () => {
    const documented = document.paths['/orders/{id}'].get.responses['200'].content['application/json'].schema.properties.status.enum;
    expect([...ORDER_STATUSES]).toEqual(documented);
    // The same at compile time: typecheck fails when the generated Order's status and the list differ.
    const sameStatuses: Same<(typeof ORDER_STATUSES)[number], Order['status']> = true;
    expect(sameStatuses).toBe(true);
  });
});

describe("the console's types of the inventory admin API", () => {
  it('inventory-api.generated.ts is what the committed apps/inventory/openapi.json generates (run npm run inventory:openapi after a change to the inventory API)', () => {
    expect(readFileSync(INVENTORY_API_TYPES, 'utf8')).toBe(inventoryApiTypes(JSON.parse(readFileSync(INVENTORY_API_DOCUMENT, 'utf8')) as OpenApiDocument));
  });
});

describe('schemaType', () => {
  it('writes objects with required and optional members, enums, nullables and arrays', () => {
    expect(
      schemaType({
        type: 'object',
        properties: { id: { type: 'string', format: 'uuid' }, status: { type: 'string', enum: ['A', 'B'] }, note: { type: 'string', nullable: true }, n: { type: 'array', items: { type: 'integer', nullable: true } } },
        required: ['id', 'status'],
        additionalProperties: false,
      }),
    ).toBe("{\n  id: string;\n  status: 'A' | 'B';\n  note?: string | null;\n  n?: (number | null)[];\n}");
  });

  it('gives an object that allows more members an index signature', () => {
    expect(schemaType({ type: 'object', properties: { at: { type: 'string' } }, required: ['at'], additionalProperties: {} })).toBe('{\n  at: string;\n  [key: string]: unknown;\n}');
  });

  it('refuses a keyword it cannot express instead of dropping it', () => {
    expect(() => schemaType({ type: 'object', not: { type: 'string' } })).toThrow('the keyword not is not supported');
  });
});
