import { ALL_TOPICS, ProductCatalogUpdatedV1, ShipmentDispatchedV1, ShipmentScheduledV1, TOPOLOGY } from '@shop/contracts';
import { isForged, PoisonMessageError } from '../errors';
import { assertOnItsTopic } from './topic-binding';

const verdict = (definition: Parameters<typeof assertOnItsTopic>[0], topic: string): string => {
  try {
    assertOnItsTopic(definition, topic);
    return 'accepted';
  } catch (error) {
    return isForged(error) ? (error as Error).message : `not a forgery: ${String(error)}`;
  }
};

describe('assertOnItsTopic: a message type is accepted only on the topic its contract names', () => {
  it.each([
    // The probes: order reads payment.events, and payment's principal may write there.
    ['catalog update', ProductCatalogUpdatedV1, 'payment.events', 'FORGED: inventory.product-catalog-updated@1 travels only on inventory.catalog, not on payment.events'],
    ['shipment dispatched', ShipmentDispatchedV1, 'payment.events', 'FORGED: shipping.shipment-dispatched@1 travels only on shipping.events, not on payment.events'],
    ['shipment scheduled', ShipmentScheduledV1, 'inventory.events', 'FORGED: shipping.shipment-scheduled@1 travels only on shipping.events, not on inventory.events'],
    ['catalog update', ProductCatalogUpdatedV1, 'inventory.events', 'FORGED: inventory.product-catalog-updated@1 travels only on inventory.catalog, not on inventory.events'],
    ['catalog update', ProductCatalogUpdatedV1, 'inventory.catalog', 'accepted'],
    ['shipment dispatched', ShipmentDispatchedV1, 'shipping.events', 'accepted'],
  ])('a %s on %s: %s', (_name, definition, topic, expected) => {
    expect(verdict(definition, topic)).toBe(expected);
  });

  it('for every message a service receives, on every topic of the shop: accepted on its own topic only', () => {
    const received = Object.values(TOPOLOGY).flatMap((s) => s.receives);
    for (const definition of received) {
      for (const topic of ALL_TOPICS) {
        expect([definition.type, topic, verdict(definition, topic).split(':')[0]]).toEqual([definition.type, topic, topic === definition.topic ? 'accepted' : 'FORGED']);
      }
    }
    expect(received.length).toBeGreaterThanOrEqual(20);
  });

  it('is poison (dead-lettered at once, never retried), with its own reason code', () => {
    const error = (() => {
      try {
        assertOnItsTopic(ShipmentDispatchedV1, 'payment.events');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PoisonMessageError);
    expect((error as PoisonMessageError).reason).toBe('FORGED');
  });
});
