import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * The body of POST /orders. Strict: an unknown field is an error, not silently dropped. The same
 * schema validates requests and (as JSON Schema) documents them in the OpenAPI document.
 */
export const placeOrderRequest = z
  .strictObject({
    customerEmail: z.email().max(320),
    customerName: text(200),
    lines: z
      .array(
        z.strictObject({
          sku: z.string().regex(/^[A-Z0-9][A-Z0-9-]{0,63}$/, 'must be an upper-case SKU such as MUG-LOGO'),
          quantity: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000'),
        }),
      )
      .min(1, 'an order needs at least one line')
      .max(50, 'an order takes at most 50 lines')
      .refine((lines) => new Set(lines.map((l) => l.sku)).size === lines.length, 'each SKU may appear on one line only'),
    shippingAddress: z.strictObject({
      name: text(200),
      street: text(300),
      city: text(200),
      postalCode: text(20),
      country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as DE'),
    }),
    paymentMethod: text(50),
  })
  .meta({ title: 'PlaceOrderRequest' });

export type PlaceOrderRequest = z.infer<typeof placeOrderRequest>;

export const listOrdersQuery = z.strictObject({
  customerId: z.string().min(1).max(100).optional(),
  status: z.enum(['PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'COMPENSATING', 'REJECTED', 'CANCELLED']).optional(),
  cursor: z.string().min(1).max(500).optional(),
  limit: z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 100, 'must be between 1 and 100')
    .optional(),
});
