import { z } from 'zod';
import { IDEMPOTENCY_KEY_FORMAT, nonBlankText, storableString } from '@shop/platform';
import { ORDER_STATUSES } from '../domain/order';

/**
 * The body of POST /orders. The customer (id, email, name) is not in it: it comes from the access
 * token (customer-of-token.ts). Strict: an unknown field is an error, not silently dropped. The same
 * schema validates requests and (as JSON Schema) documents them in the OpenAPI document, so it
 * holds only what JSON Schema can say: a rule across fields (one line per SKU) is the place-order
 * handler's, answered 422 like the other business rules.
 */
export const placeOrderRequest = z
  .strictObject({
    lines: z
      .array(
        z.strictObject({
          sku: z.string().regex(/^[A-Z0-9][A-Z0-9-]{0,63}$/, 'must be an upper-case SKU such as MUG-LOGO'),
          quantity: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000'),
        }),
      )
      .min(1, 'an order needs at least one line')
      .max(50, 'an order takes at most 50 lines'),
    shippingAddress: z.strictObject({
      name: nonBlankText(200),
      street: nonBlankText(300),
      city: nonBlankText(200),
      postalCode: nonBlankText(20),
      country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as DE'),
    }),
    paymentMethod: nonBlankText(50),
  })
  .meta({ title: 'PlaceOrderRequest' });

export type PlaceOrderRequest = z.infer<typeof placeOrderRequest>;

/** The Idempotency-Key header of POST /orders, for the document (the IdempotencyStore checks it: 422 IDEMPOTENCY.KEY_INVALID). */
export const idempotencyKeyHeader = z.string().regex(IDEMPOTENCY_KEY_FORMAT);

/** The query of GET /orders; each field is documented as a query parameter from this schema. */
export const listOrdersQuery = z.strictObject({
  customerId: storableString(z.string().min(1).max(100)).optional().describe("Admin: one customer's orders. A customer sees only their own (another id: an empty page)"),
  status: z.enum(ORDER_STATUSES).optional(),
  cursor: z.string().min(1).max(500).optional().describe('nextCursor of the previous page'),
  limit: z
    .string()
    .regex(/^(100|[1-9][0-9]?)$/, 'must be a whole number from 1 to 100')
    .transform(Number)
    .optional()
    .describe('page size, 1 to 100 (default 20)'),
});
