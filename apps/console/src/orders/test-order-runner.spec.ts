import type { Session } from '../auth/sessions';
import type { ShopServices } from '../operations/shop-services';
import type { OrderApiClient } from './order-api.client';
import { TestOrderRunner } from './test-order-runner';

const session = { accessToken: 'token', user: 'shop-admin' } as Session;
const customer = { name: 'Shop Admin' };
const at = (s: number) => new Date(Date.UTC(2026, 11, 2, 10, 0, s)).toISOString();

/** Fakes of the order API and the fault switch that record what the runner asked, in order. */
function fakes(timelines: Array<Array<Record<string, unknown>>>, placeFails = false) {
  const calls: string[] = [];
  let reads = 0;
  const orders = {
    place: async () => {
      calls.push('place');
      if (placeFails) throw new Error('order API down');
      return { orderId: 'o-1', status: 'PENDING' };
    },
    cancel: async (_: string, id: string) => {
      calls.push(`cancel ${id}`);
      return { orderId: id, status: 'COMPENSATING' };
    },
    order: async () => {
      calls.push('read');
      return { status: 'PENDING', timeline: timelines[Math.min(reads++, timelines.length - 1)] };
    },
  } as unknown as OrderApiClient;
  const services = {
    setFaults: async (service: string, _: string, settings: object) => {
      calls.push(`faults ${service} ${JSON.stringify(settings)}`);
    },
  } as unknown as ShopServices;
  return { runner: new TestOrderRunner(orders, services), calls };
}

describe('TestOrderRunner', () => {
  it('slow payment: turns the delay on, places, and turns it off once CHARGE_PAYMENT has closed', async () => {
    const charging = [
      { at: at(0), event: 'CommandSent', command: 'RESERVE_STOCK' },
      { at: at(1), event: 'ReplyReceived', reply: 'StockReserved' },
      { at: at(1), event: 'CommandSent', command: 'CHARGE_PAYMENT' },
    ];
    const charged = [...charging, { at: at(4), event: 'ReplyReceived', reply: 'PaymentCharged' }, { at: at(4), event: 'CommandSent', command: 'SCHEDULE_SHIPMENT' }];
    const { runner, calls } = fakes([charging, charging, charged]);
    await expect(runner.place(session, 'slow-payment', customer)).resolves.toEqual({ orderId: 'o-1', status: 'PENDING' });
    expect(calls.slice(0, 2)).toEqual(['faults payment {"delayMs":3000}', 'place']);
    // The switch goes off in the background, after the step closed (third read), not before.
    await waitUntil(() => calls.includes('faults payment {"delayMs":0}'));
    expect(calls.slice(2)).toEqual(['read', 'read', 'read', 'faults payment {"delayMs":0}']);
  });

  it('slow payment: turns the delay off again when the order could not be placed', async () => {
    const { runner, calls } = fakes([[]], true);
    await expect(runner.place(session, 'slow-payment', customer)).rejects.toThrow('order API down');
    expect(calls).toEqual(['faults payment {"delayMs":3000}', 'place', 'faults payment {"delayMs":0}']);
  });

  it('cancel: places, then cancels at once; other paths only place', async () => {
    const cancel = fakes([[]]);
    await expect(cancel.runner.place(session, 'cancel', customer)).resolves.toEqual({ orderId: 'o-1', status: 'COMPENSATING' });
    expect(cancel.calls).toEqual(['place', 'cancel o-1']);
    const happy = fakes([[]]);
    await happy.runner.place(session, 'happy', customer);
    expect(happy.calls).toEqual(['place']);
  });
});

/** Polls a condition of the fakes (the runner's background watch runs on timers). */
async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !condition(); ) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
