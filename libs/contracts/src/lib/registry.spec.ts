import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { JsonSchema } from './message-definition';
import { OrderPlacedV1, ProductCatalogUpdatedV1, ReserveStockV1 } from './messages';
import { ALL_MESSAGES, ALL_TOPICS, COMPACTED_TOPICS, findMessage } from './registry';
import { PERSONAL_KEYWORD } from './schema-parts';

const ajv = addFormats(new Ajv2020({ allErrors: true, strict: true })).addKeyword(PERSONAL_KEYWORD);

const SAMPLE_FOR_PATTERN: Record<string, string> = {
  '^[A-Z]{3}$': 'EUR',
  '^[A-Z]{2}$': 'GB',
  '^[A-Z0-9][A-Z0-9-]{0,63}$': 'MUG-LOGO',
};

/** The smallest valid instance of a schema: every required property, minimal values. */
function sample(schema: JsonSchema): unknown {
  switch (schema['type']) {
    case 'object': {
      const properties = schema['properties'] as Record<string, JsonSchema>;
      return Object.fromEntries((schema['required'] as string[]).map((name) => [name, sample(properties[name])]));
    }
    case 'array':
      return Array.from({ length: Number(schema['minItems'] ?? 1) }, () => sample(schema['items'] as JsonSchema));
    case 'integer':
      return Number(schema['minimum'] ?? 1);
    case 'boolean':
      return false;
    case 'string':
      if (schema['format'] === 'email') return 'ada@example.test';
      if (schema['format'] === 'date-time') return '2026-11-23T12:00:00.000Z';
      if (typeof schema['pattern'] === 'string') return SAMPLE_FOR_PATTERN[schema['pattern']] ?? fail(`no sample for ${schema['pattern']}`);
      return 'x';
    default:
      return fail(`no sample for ${JSON.stringify(schema)}`);
  }
}

function fail(message: string): never {
  throw new Error(message);
}

describe('message contracts', () => {
  it('names every message <service>.<name> with a positive version, once', () => {
    const ids = ALL_MESSAGES.map((m) => `${m.type}@${m.version}`);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of ALL_MESSAGES) {
      expect(m.type).toMatch(new RegExp(`^${m.owner}\\.[a-z]+(-[a-z]+)*$`));
      expect(m.version).toBeGreaterThan(0);
      // A compacted topic holds one kind of state and is named after it (inventory.catalog, analytics.order-windows).
      expect(m.topic).toMatch(COMPACTED_TOPICS.includes(m.topic) ? new RegExp(`^${m.owner}\\.[a-z]+(-[a-z]+)*$`) : new RegExp(`^${m.owner}\\.(events|commands)$`));
      expect(m.kind === 'command').toBe(m.topic.endsWith('.commands'));
    }
    expect(ALL_TOPICS).toEqual([
      'analytics.order-windows',
      'inventory.catalog',
      'inventory.commands',
      'inventory.events',
      'order.events',
      'payment.commands',
      'payment.events',
      'shipping.commands',
      'shipping.events',
    ]);
  });

  it.each(ALL_MESSAGES.map((m) => [`${m.type}@${m.version}`, m] as const))('%s: schema compiles, a sample passes, extra fields fail', (_id, m) => {
    const validate = ajv.compile(m.schema);
    const data = sample(m.schema) as Record<string, unknown>;
    expect(validate(data)).toBe(true);
    expect(validate({ ...data, unexpected: true })).toBe(false);
    const [firstRequired] = m.schema['required'] as string[];
    const { [firstRequired]: _dropped, ...missing } = data;
    expect(validate(missing)).toBe(false);
    expect(m.key(data as never)).toBe(data['sku'] ?? data['orderId'] ?? data['windowStart']);
  });

  it('finds a message by type and version, and nothing for an unknown one', () => {
    expect(findMessage('order.placed', 1)).toBe(OrderPlacedV1);
    expect(findMessage('order.placed', 2)).toBeUndefined();
    expect(findMessage('order.nope', 1)).toBeUndefined();
  });

  it('rejects wrong values with the path of the field', () => {
    const validate = ajv.compile(ReserveStockV1.schema);
    expect(validate({ orderId: 'o1', lines: [{ sku: 'MUG-LOGO', quantity: 0 }] })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ instancePath: '/lines/0/quantity', message: 'must be >= 1' });
    const catalog = ajv.compile(ProductCatalogUpdatedV1.schema);
    expect(catalog({ sku: 'lower-case', name: 'x', priceCents: 1, currency: 'EUR', available: 0 })).toBe(false);
  });
});
