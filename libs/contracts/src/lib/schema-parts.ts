import type { JsonSchema } from './message-definition';

/** Building blocks shared by the message schemas. Plain objects: contracts depend on nothing. */
export const DRAFT = 'https://json-schema.org/draft/2020-12/schema';

export const id: JsonSchema = { type: 'string', minLength: 1, maxLength: 200 };
export const text: JsonSchema = { type: 'string', minLength: 1, maxLength: 500 };
export const email: JsonSchema = { type: 'string', format: 'email', maxLength: 320 };
export const cents: JsonSchema = { type: 'integer', minimum: 0 };
export const currency: JsonSchema = { type: 'string', pattern: '^[A-Z]{3}$' };
export const timestamp: JsonSchema = { type: 'string', format: 'date-time' };
export const sku: JsonSchema = { type: 'string', pattern: '^[A-Z0-9][A-Z0-9-]{0,63}$' };

export const stockLine: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sku', 'quantity'],
  properties: { sku, quantity: { type: 'integer', minimum: 1, maximum: 1000 } },
};

export const pricedLine: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sku', 'name', 'quantity', 'unitPriceCents'],
  properties: { sku, name: text, quantity: { type: 'integer', minimum: 1, maximum: 1000 }, unitPriceCents: cents },
};

export const address: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'street', 'city', 'postalCode', 'country'],
  properties: { name: text, street: text, city: text, postalCode: { type: 'string', minLength: 1, maxLength: 20 }, country: { type: 'string', pattern: '^[A-Z]{2}$' } },
};

/** An object schema with every listed property required and nothing else allowed. */
export function strictObject(properties: Record<string, JsonSchema>, optional: string[] = []): JsonSchema {
  return {
    $schema: DRAFT,
    type: 'object',
    additionalProperties: false,
    required: Object.keys(properties).filter((p) => !optional.includes(p)),
    properties,
  };
}
