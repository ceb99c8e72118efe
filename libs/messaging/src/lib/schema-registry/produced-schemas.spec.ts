import {
  Headers,
  OrderConfirmedV1,
  OrderConfirmedV2,
  OrderPlacedV1,
  registeredSchemaText,
  type MessageDefinition,
} from '@shop/contracts';
import type { EntityManager } from 'typeorm';
import { OutboxWriter } from '../outbox/outbox-writer';
import { ProducedSchemas, UnregisteredSchemasError } from './produced-schemas';

const url = 'http://registry.test/apis/ccompat/v7';

/**
 * A stand-in registry answering the Confluent REST calls ProducedSchemas makes: order.placed.v1
 * holds this build's schema (version 2), order.confirmed.v1 holds another schema the build's is
 * compatible with, order.confirmed.v2 does not exist. (The real registry: test/integration.)
 */
function fakeRegistry(compatible: boolean) {
  return jest
    .spyOn(globalThis, 'fetch')
    .mockImplementation(async (input, init) => {
      const path = String(input).slice(url.length);
      const body = init?.body
        ? (JSON.parse(String(init.body)) as { schema: string })
        : undefined;
      const json = (status: number, value: unknown) =>
        new Response(JSON.stringify(value), { status });
      if (
        path === '/subjects/order.placed.v1' &&
        body?.schema === registeredSchemaText(OrderPlacedV1.schema)
      )
        return json(200, {
          subject: 'order.placed.v1',
          id: 7,
          version: 2,
          schema: body.schema,
        });
      if (path === '/subjects/order.confirmed.v1/versions/latest')
        return json(200, {
          subject: 'order.confirmed.v1',
          id: 3,
          version: 4,
          schema: '{}',
        });
      if (path === '/compatibility/subjects/order.confirmed.v1/versions/latest')
        return json(200, { is_compatible: compatible });
      return json(404, { error_code: 40401, message: 'Subject not found.' });
    });
}

afterEach(() => jest.restoreAllMocks());

describe('ProducedSchemas', () => {
  it('keeps the subject version URL of each registered schema', async () => {
    fakeRegistry(true);
    const schemas = new ProducedSchemas();
    expect(schemas.referenceOf(OrderPlacedV1)).toBeUndefined();
    await schemas.verify(url, [OrderPlacedV1 as MessageDefinition]);
    expect(schemas.referenceOf(OrderPlacedV1)).toBe(
      `${url}/subjects/order.placed.v1/versions/2`,
    );
  });

  it('names every subject it cannot find, and why', async () => {
    fakeRegistry(true);
    const refusal = await new ProducedSchemas()
      .verify(url, [
        OrderPlacedV1,
        OrderConfirmedV1,
        OrderConfirmedV2,
      ] as MessageDefinition[])
      .catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(UnregisteredSchemasError);
    expect((refusal as UnregisteredSchemasError).problems).toEqual([
      'order.confirmed.v1: this version of its schema is not registered (latest is version 4; run npm run contracts:register)',
      'order.confirmed.v2: not registered (run npm run contracts:register)',
    ]);
  });

  it('says so when the registry finds the schema incompatible', async () => {
    fakeRegistry(false);
    const refusal = await new ProducedSchemas()
      .verify(url, [OrderConfirmedV1 as MessageDefinition])
      .catch((e: unknown) => e);
    expect((refusal as UnregisteredSchemasError).problems).toEqual([
      'order.confirmed.v1: the schema this service sends is not compatible with registered version 4 (the registry refuses it): a breaking change needs a new message version',
    ]);
  });
});

describe('OutboxWriter and the dataschema attribute', () => {
  async function headersWritten(
    writer: OutboxWriter,
  ): Promise<Record<string, string>> {
    const query = jest.fn().mockResolvedValue([]);
    await writer.add({ query } as unknown as EntityManager, OrderPlacedV1, {
      orderId: 'o-1',
    } as never);
    return JSON.parse(query.mock.calls[0][1][3] as string) as Record<
      string,
      string
    >;
  }

  it('adds ce_dataschema when the schema was verified against a registry', async () => {
    fakeRegistry(true);
    const schemas = new ProducedSchemas();
    await schemas.verify(url, [OrderPlacedV1 as MessageDefinition]);
    expect(
      (await headersWritten(new OutboxWriter('order', schemas)))[
        Headers.dataSchema
      ],
    ).toBe(`${url}/subjects/order.placed.v1/versions/2`);
  });

  it('sends no ce_dataschema without a registry', async () => {
    expect(await headersWritten(new OutboxWriter('order'))).not.toHaveProperty(
      Headers.dataSchema,
    );
    expect(
      await headersWritten(new OutboxWriter('order', new ProducedSchemas())),
    ).not.toHaveProperty(Headers.dataSchema);
  });
});
