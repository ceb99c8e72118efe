import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import { defineMessage, type DataOf, type JsonSchema, type MessageDefinition, type MessageSchema } from './message-definition';
import * as messages from './messages';
import { ALL_MESSAGES } from './registry';
import { closedObject, DRAFT, id, strictObject, text } from './schema-parts';

/**
 * One source per message: its TypeScript type is derived from its JSON Schema. What could still
 * let the two disagree is checked by the compiler, here (this file is part of `nx typecheck
 * contracts`, and ts-jest fails the suite on a type error): `verdictOn<M>(AGREES)` compiles only
 * if that is the verdict on M, and `driftCaught` shows each check giving its verdict on the drift
 * it is for. The rest runs: the helpers build the schema their types claim.
 */

type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;

/** A field typed `unknown` or `any`: a schema part whose literal type was lost. */
type HasLooseField<T> = unknown extends T
  ? true
  : T extends readonly (infer E)[]
    ? HasLooseField<E>
    : T extends object
      ? true extends { [K in keyof T]-?: HasLooseField<T[K]> }[keyof T]
        ? true
        : false
      : false;

const AGREES = 'agrees';
const DIFFERS = 'the data type differs from the one its schema gives';
const LOOSE = 'a field of the data type is unknown: a schema part lost its literal type';
const WIDENED = 'the schema lost its literal type (typed as JsonSchema, not written `as const`)';
const SAME = 'same';
const NOT_THE_DATA_TYPE = 'the exported type is not the data type of the definition';

/** What a definition's data type is, next to the type its schema gives. */
type Verdict<M> = M extends { readonly schema: infer S }
  ? S extends MessageSchema
    ? JsonSchema extends S
      ? typeof WIDENED
      : Equal<DataOf<M>, FromSchema<S>> extends true
        ? HasLooseField<DataOf<M>> extends true
          ? typeof LOOSE
          : typeof AGREES
        : typeof DIFFERS
    : typeof WIDENED
  : never;

/** Compiles only if `verdict` is the verdict on definition `M`. */
function verdictOn<M>(verdict: Verdict<M>): Verdict<M> {
  return verdict;
}

type TypeVerdict<T, M> = Equal<T, DataOf<M>> extends true ? typeof SAME : typeof NOT_THE_DATA_TYPE;

/** Compiles only if `verdict` says whether the exported type `T` is the data type of the definition `M`. */
function exportedTypeIs<T, M>(verdict: TypeVerdict<T, M>): TypeVerdict<T, M> {
  return verdict;
}

type Messages = typeof messages;

/** Every definition in ./messages (a message missing from here fails `satisfies`). */
const definitionsAgreeWithSchemas = {
  OrderPlacedV1: verdictOn<Messages['OrderPlacedV1']>(AGREES),
  OrderConfirmedV1: verdictOn<Messages['OrderConfirmedV1']>(AGREES),
  OrderConfirmedV2: verdictOn<Messages['OrderConfirmedV2']>(AGREES),
  OrderRejectedV1: verdictOn<Messages['OrderRejectedV1']>(AGREES),
  OrderCancelledV1: verdictOn<Messages['OrderCancelledV1']>(AGREES),
  OrderShippedV1: verdictOn<Messages['OrderShippedV1']>(AGREES),
  OrderDeliveredV1: verdictOn<Messages['OrderDeliveredV1']>(AGREES),
  ReserveStockV1: verdictOn<Messages['ReserveStockV1']>(AGREES),
  ReleaseStockV1: verdictOn<Messages['ReleaseStockV1']>(AGREES),
  StockReservedV1: verdictOn<Messages['StockReservedV1']>(AGREES),
  StockReservationFailedV1: verdictOn<Messages['StockReservationFailedV1']>(AGREES),
  StockReleasedV1: verdictOn<Messages['StockReleasedV1']>(AGREES),
  ProductCatalogUpdatedV1: verdictOn<Messages['ProductCatalogUpdatedV1']>(AGREES),
  ChargePaymentV1: verdictOn<Messages['ChargePaymentV1']>(AGREES),
  RefundPaymentV1: verdictOn<Messages['RefundPaymentV1']>(AGREES),
  PaymentChargedV1: verdictOn<Messages['PaymentChargedV1']>(AGREES),
  PaymentDeclinedV1: verdictOn<Messages['PaymentDeclinedV1']>(AGREES),
  PaymentRefundedV1: verdictOn<Messages['PaymentRefundedV1']>(AGREES),
  ScheduleShipmentV1: verdictOn<Messages['ScheduleShipmentV1']>(AGREES),
  CancelShipmentV1: verdictOn<Messages['CancelShipmentV1']>(AGREES),
  ShipmentScheduledV1: verdictOn<Messages['ShipmentScheduledV1']>(AGREES),
  ShipmentImpossibleV1: verdictOn<Messages['ShipmentImpossibleV1']>(AGREES),
  ShipmentCancelledV1: verdictOn<Messages['ShipmentCancelledV1']>(AGREES),
  ShipmentDispatchedV1: verdictOn<Messages['ShipmentDispatchedV1']>(AGREES),
  ShipmentDeliveredV1: verdictOn<Messages['ShipmentDeliveredV1']>(AGREES),
  OrderWindowUpdatedV1: verdictOn<Messages['OrderWindowUpdatedV1']>(AGREES),
} satisfies Record<keyof Messages, typeof AGREES>;

/** Every exported type against its definition (a type is not enumerable, hence the list). */
const exportedTypesAreTheSchemas = {
  OrderPlacedV1: exportedTypeIs<messages.OrderPlacedV1, Messages['OrderPlacedV1']>(SAME),
  OrderConfirmedV1: exportedTypeIs<messages.OrderConfirmedV1, Messages['OrderConfirmedV1']>(SAME),
  OrderConfirmedV2: exportedTypeIs<messages.OrderConfirmedV2, Messages['OrderConfirmedV2']>(SAME),
  OrderRejectedV1: exportedTypeIs<messages.OrderRejectedV1, Messages['OrderRejectedV1']>(SAME),
  OrderCancelledV1: exportedTypeIs<messages.OrderCancelledV1, Messages['OrderCancelledV1']>(SAME),
  OrderShippedV1: exportedTypeIs<messages.OrderShippedV1, Messages['OrderShippedV1']>(SAME),
  OrderDeliveredV1: exportedTypeIs<messages.OrderDeliveredV1, Messages['OrderDeliveredV1']>(SAME),
  ReserveStockV1: exportedTypeIs<messages.ReserveStockV1, Messages['ReserveStockV1']>(SAME),
  ReleaseStockV1: exportedTypeIs<messages.ReleaseStockV1, Messages['ReleaseStockV1']>(SAME),
  StockReservedV1: exportedTypeIs<messages.StockReservedV1, Messages['StockReservedV1']>(SAME),
  StockReservationFailedV1: exportedTypeIs<messages.StockReservationFailedV1, Messages['StockReservationFailedV1']>(SAME),
  StockReleasedV1: exportedTypeIs<messages.StockReleasedV1, Messages['StockReleasedV1']>(SAME),
  ProductCatalogUpdatedV1: exportedTypeIs<messages.ProductCatalogUpdatedV1, Messages['ProductCatalogUpdatedV1']>(SAME),
  ChargePaymentV1: exportedTypeIs<messages.ChargePaymentV1, Messages['ChargePaymentV1']>(SAME),
  RefundPaymentV1: exportedTypeIs<messages.RefundPaymentV1, Messages['RefundPaymentV1']>(SAME),
  PaymentChargedV1: exportedTypeIs<messages.PaymentChargedV1, Messages['PaymentChargedV1']>(SAME),
  PaymentDeclinedV1: exportedTypeIs<messages.PaymentDeclinedV1, Messages['PaymentDeclinedV1']>(SAME),
  PaymentRefundedV1: exportedTypeIs<messages.PaymentRefundedV1, Messages['PaymentRefundedV1']>(SAME),
  ScheduleShipmentV1: exportedTypeIs<messages.ScheduleShipmentV1, Messages['ScheduleShipmentV1']>(SAME),
  CancelShipmentV1: exportedTypeIs<messages.CancelShipmentV1, Messages['CancelShipmentV1']>(SAME),
  ShipmentScheduledV1: exportedTypeIs<messages.ShipmentScheduledV1, Messages['ShipmentScheduledV1']>(SAME),
  ShipmentImpossibleV1: exportedTypeIs<messages.ShipmentImpossibleV1, Messages['ShipmentImpossibleV1']>(SAME),
  ShipmentCancelledV1: exportedTypeIs<messages.ShipmentCancelledV1, Messages['ShipmentCancelledV1']>(SAME),
  ShipmentDispatchedV1: exportedTypeIs<messages.ShipmentDispatchedV1, Messages['ShipmentDispatchedV1']>(SAME),
  ShipmentDeliveredV1: exportedTypeIs<messages.ShipmentDeliveredV1, Messages['ShipmentDeliveredV1']>(SAME),
  OrderWindowUpdatedV1: exportedTypeIs<messages.OrderWindowUpdatedV1, Messages['OrderWindowUpdatedV1']>(SAME),
} satisfies Record<keyof Messages, typeof SAME>;

/** The drift each check exists for, shown failing. */
const base = { type: 'test.example', version: 1, kind: 'event', topic: 'test.events', owner: 'test', description: 'a test message' } as const;
const looseMessage = defineMessage({ ...base, schema: strictObject({ orderId: id, reason: text as JSONSchema }), key: (data) => data.orderId });
const driftCaught = [
  // A hand-written type beside the schema, one field short...
  exportedTypeIs<Omit<messages.OrderPlacedV1, 'placedAt'>, Messages['OrderPlacedV1']>(NOT_THE_DATA_TYPE),
  // ... or with a field the schema does not have.
  exportedTypeIs<messages.OrderPlacedV1 & { note?: string }, Messages['OrderPlacedV1']>(NOT_THE_DATA_TYPE),
  // A definition that bypasses defineMessage, its data type written by hand...
  verdictOn<MessageDefinition<{ orderId: string }>>(WIDENED),
  // ... or given beside a literal schema that says otherwise.
  verdictOn<MessageDefinition<{ orderId: string; extra: number }, Messages['ReleaseStockV1']['schema']>>(DIFFERS),
  // A schema part typed as a mere JSON Schema: its field becomes unknown.
  verdictOn<typeof looseMessage>(LOOSE),
];

describe('message types derived from their schemas', () => {
  it('are checked by the compiler for every message (this file compiles)', () => {
    expect(Object.keys(definitionsAgreeWithSchemas).sort()).toEqual(Object.keys(messages).sort());
    expect(Object.keys(exportedTypesAreTheSchemas).sort()).toEqual(Object.keys(messages).sort());
    expect(driftCaught).toEqual([NOT_THE_DATA_TYPE, NOT_THE_DATA_TYPE, WIDENED, DIFFERS, LOOSE]);
    // The loose message's schema is the same JSON as a sound one: only the compiler sees the drift.
    expect(looseMessage.schema).toEqual(strictObject({ orderId: id, reason: text }));
  });

  it('strictObject requires every property but the optional ones and allows no other, as its type says', () => {
    const schema = strictObject({ orderId: id, note: text }, ['note']);
    const typeSays: Equal<FromSchema<typeof schema>, { orderId: string; note?: string }> = true;
    expect(typeSays).toBe(true);
    expect(schema).toEqual({
      $schema: DRAFT,
      type: 'object',
      additionalProperties: false,
      required: ['orderId'],
      properties: { orderId: id, note: text },
    });
    const validate = addFormats(new Ajv2020({ strict: true })).compile(schema);
    expect(validate({ orderId: 'o1' })).toBe(true);
    expect(validate({ orderId: 'o1', note: 'leave at the door' })).toBe(true);
    expect(validate({ note: 'leave at the door' })).toBe(false);
    expect(validate({ orderId: 'o1', other: 1 })).toBe(false);
    // @ts-expect-error an optional name that is not a property
    closedObject({ orderId: id }, ['nope']);
  });

  it('every object in every message schema is closed and requires only properties it has (what the types assume)', () => {
    const problems: string[] = [];
    const walk = (schema: JsonSchema, path: string): void => {
      if (schema['type'] === 'object') {
        const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
        if (schema['additionalProperties'] !== false) problems.push(`${path}: additionalProperties is not false`);
        for (const name of (schema['required'] ?? []) as string[]) if (!(name in properties)) problems.push(`${path}: requires ${name}, which is no property`);
        for (const [name, property] of Object.entries(properties)) walk(property, `${path}.${name}`);
      }
      if (schema['type'] === 'array') walk(schema['items'] as JsonSchema, `${path}[]`);
    };
    for (const m of ALL_MESSAGES) walk(m.schema, `${m.type} v${m.version} $`);
    expect(problems).toEqual([]);
  });
});
