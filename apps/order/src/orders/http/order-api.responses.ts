import { z } from 'zod';
import { ORDER_STATUSES } from '../domain/order';

/**
 * What the order API answers, as zod schemas. They are the OpenAPI document's response schemas
 * (see openApiSchema), so a client generator, Swagger UI and the fuzzer (schemathesis checks
 * every answer against them in `npm test`) all read the same shapes the server sends.
 */

const timestamp = z.iso.datetime({ offset: true });

export const placeOrderAnswer = z
  .object({
    orderId: z.uuid(),
    status: z.enum(ORDER_STATUSES),
  })
  .meta({ title: 'OrderAccepted' });

/** One entry of an order's saga timeline: what happened, and the details that event carries. */
const timelineEntry = z
  .looseObject({
    at: timestamp,
    event: z.string(),
    command: z.string().optional(),
    attempt: z.number().int().optional(),
    reply: z.string().optional(),
    reason: z.string().optional(),
    ignored: z.string().optional(),
    waitingFor: z.string().optional(),
    until: timestamp.optional(),
    why: z.string().optional(),
  })
  .meta({ title: 'TimelineEntry' });

export const orderView = z
  .object({
    id: z.uuid(),
    customerId: z.string(),
    status: z.enum(ORDER_STATUSES),
    lines: z.array(
      z.object({
        sku: z.string(),
        name: z.string(),
        quantity: z.number().int().min(1),
        unitPriceCents: z.number().int().min(0),
        lineTotalCents: z.number().int().min(0),
      }),
    ),
    totalCents: z.number().int().min(0),
    currency: z.string().length(3),
    failureReason: z.string().nullable(),
    timeline: z.array(timelineEntry),
    placedAt: timestamp,
    updatedAt: timestamp,
    version: z.number().int().min(1),
  })
  .meta({ title: 'Order' });

export const orderPage = z
  .object({
    items: z.array(orderView),
    nextCursor: z.string().nullable(),
  })
  .meta({ title: 'OrderPage' });

export const orderHistory = z
  .array(
    z.object({
      seq: z.number().int().min(1),
      type: z.string(),
      status: z.enum(ORDER_STATUSES),
      data: z.record(z.string(), z.unknown()),
      at: timestamp,
    }),
  )
  .meta({ title: 'OrderHistory' });

export const catalog = z
  .array(
    z.object({
      sku: z.string(),
      name: z.string(),
      priceCents: z.number().int().min(0),
      currency: z.string().length(3),
      available: z.number().int().min(0),
    }),
  )
  .meta({ title: 'Catalog' });
