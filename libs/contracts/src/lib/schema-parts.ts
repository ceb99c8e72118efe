import type { JSONSchema } from 'json-schema-to-ts';

/**
 * Building blocks shared by the message schemas. Plain objects, `as const` so that their literal
 * types survive: each message's TypeScript type is derived from its schema (json-schema-to-ts
 * `FromSchema`, types only, nothing of it runs), and a part typed as a mere object would turn its
 * fields into `unknown`. `satisfies JSONSchema` catches a misspelt keyword here.
 */
export const DRAFT = 'https://json-schema.org/draft/2020-12/schema';

export const id = { type: 'string', minLength: 1, maxLength: 200 } as const satisfies JSONSchema;
export const text = { type: 'string', minLength: 1, maxLength: 500 } as const satisfies JSONSchema;
export const email = { type: 'string', format: 'email', maxLength: 320 } as const satisfies JSONSchema;
export const cents = { type: 'integer', minimum: 0 } as const satisfies JSONSchema;
export const currency = { type: 'string', pattern: '^[A-Z]{3}$' } as const satisfies JSONSchema;
export const timestamp = { type: 'string', format: 'date-time' } as const satisfies JSONSchema;
export const sku = { type: 'string', pattern: '^[A-Z0-9][A-Z0-9-]{0,63}$' } as const satisfies JSONSchema;
export const quantity = { type: 'integer', minimum: 1, maximum: 1000 } as const satisfies JSONSchema;

/** The properties of an object schema, by name. */
export type Properties = Readonly<Record<string, JSONSchema>>;

/**
 * What {@link closedObject} returns, with the literal types of its properties (a type, not an
 * interface, so that it is assignable to an index signature such as `JsonSchema`).
 */
export type ClosedObject<P extends Properties, O extends keyof P & string> = {
  readonly type: 'object';
  readonly additionalProperties: false;
  readonly required: ReadonlyArray<Exclude<keyof P & string, O>>;
  readonly properties: P;
};

/**
 * An object schema with every listed property required (but the `optional` ones) and nothing
 * else allowed. `required` is derived from the properties, so it cannot name a field that does
 * not exist or forget one.
 */
export function closedObject<const P extends Properties, const O extends keyof P & string = never>(
  properties: P,
  optional: readonly O[] = [],
): ClosedObject<P, O> {
  return {
    type: 'object',
    additionalProperties: false,
    required: Object.keys(properties).filter((p): p is Exclude<keyof P & string, O> => !(optional as readonly string[]).includes(p)),
    properties,
  };
}

/** A message's schema: a {@link closedObject} that names its dialect. */
export type StrictObject<P extends Properties, O extends keyof P & string> = { readonly $schema: typeof DRAFT } & ClosedObject<P, O>;

/** The top-level schema of a message's data: {@link closedObject} with `$schema` first. */
export function strictObject<const P extends Properties, const O extends keyof P & string = never>(
  properties: P,
  optional: readonly O[] = [],
): StrictObject<P, O> {
  return { $schema: DRAFT, ...closedObject(properties, optional) };
}

/**
 * The annotation that says whether a field holds the customer's personal data: `"x-personal": true`
 * on the field (or on an object, for all of it), `false` where a field only looks personal (a
 * product's name). Validators ignore it (MessageValidator declares the keyword); the schema gate
 * (personal-data.ts) fails on a field that looks personal and carries neither.
 */
export const PERSONAL = 'x-personal';

/** How a strict Ajv learns the annotation: `ajv.addKeyword(PERSONAL_KEYWORD)` (it validates nothing). */
export const PERSONAL_KEYWORD = { keyword: PERSONAL, schemaType: 'boolean' } as const;

/** `schema` marked as the customer's personal data. */
export function personal<const S extends object>(schema: S): S & { readonly [PERSONAL]: true } {
  return { ...schema, [PERSONAL]: true };
}

/** `schema` marked as not personal, though its name looks it (a product's name). */
export function notPersonal<const S extends object>(schema: S): S & { readonly [PERSONAL]: false } {
  return { ...schema, [PERSONAL]: false };
}

/** The customer's email address, and their name as they gave it to the identity provider. */
export const customerEmail = personal(email);
export const customerName = personal(text);

/** What a product is called (catalog and order lines): public, not the customer's. */
export const productName = notPersonal(text);

export const stockLine = closedObject({ sku, quantity });

export const pricedLine = closedObject({ sku, name: productName, quantity, unitPriceCents: cents });

/** Where a shipment goes: personal as a whole. */
export const address = personal(closedObject({
  name: text,
  street: text,
  city: text,
  postalCode: { type: 'string', minLength: 1, maxLength: 20 },
  country: { type: 'string', pattern: '^[A-Z]{2}$' },
}));
