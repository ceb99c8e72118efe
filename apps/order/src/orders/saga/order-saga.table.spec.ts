import { ReleaseStockV1, ReserveStockV1 } from '@shop/contracts';
import { commandMessage, ORDER_SAGA, replyAnswers, replyFromMessage, roleOfReply, SAGA_REPLY_MESSAGES, type SagaCommand, type SagaOrder, type SagaStepDefinition } from './order-saga.table';

const steps: readonly SagaStepDefinition[] = ORDER_SAGA;
const order: SagaOrder = {
  id: 'o-1',
  customer: { id: 'c-1' },
  lines: [{ sku: 'MUG-LOGO', quantity: 2 }],
  totalCents: 2500,
  currency: 'EUR',
  shippingAddress: { name: 'C', street: '1 Main Street', city: 'Springfield', postalCode: '12345', country: 'DE' },
  paymentMethod: 'card',
};

describe('the order saga table', () => {
  const replies = steps.flatMap((s) => [s.success, s.failure, s.confirmation, ...(s.pointOfNoReturn ? [s.pointOfNoReturn] : [])]);

  it('names every reply and every command once', () => {
    const names = [...replies.map((r) => r.name), ...steps.flatMap((s) => [s.step, s.compensation])];
    expect(new Set(names).size).toBe(names.length);
    const wire = replies.map((r) => `${r.message.type}@${r.message.version}`);
    expect(new Set(wire).size).toBe(wire.length);
    expect(SAGA_REPLY_MESSAGES).toEqual(replies.map((r) => r.message));
  });

  it('gives a point of no return to the last step only (rolling forward past an earlier one would skip steps)', () => {
    expect(steps.slice(0, -1).filter((s) => s.pointOfNoReturn)).toEqual([]);
  });

  it.each(steps.map((s) => [s.step, s] as const))('routes every reply of %s back to its role, a failure with its reason', (_name, s) => {
    const route = (r: { name: string; message: { type: string; version: number } }) => replyFromMessage(r.message.type, r.message.version, { reason: 'WHY' });
    expect(route(s.success)).toEqual({ type: s.success.name });
    expect(route(s.failure)).toEqual({ type: s.failure.name, reason: 'WHY' });
    expect(route(s.confirmation)).toEqual({ type: s.confirmation.name });
    expect(roleOfReply(s.success.name)).toEqual({ kind: 'success', step: s.step });
    expect(roleOfReply(s.failure.name)).toEqual({ kind: 'failure', step: s.step });
    expect(roleOfReply(s.confirmation.name)).toEqual({ kind: 'confirmation', step: s.step, compensation: s.compensation });
  });

  it('knows no other message, nor another version of a known one', () => {
    expect(replyFromMessage('inventory.catalog-updated', 1, {})).toBeUndefined();
    const [first] = SAGA_REPLY_MESSAGES;
    expect(replyFromMessage(first.type, first.version + 1, {})).toBeUndefined();
    expect(roleOfReply('DeadlineExpired')).toBeUndefined();
  });

  it('builds each command from the order, on the message the step names', () => {
    expect(commandMessage('RESERVE_STOCK', order)).toEqual({ message: ReserveStockV1, data: { orderId: 'o-1', lines: [{ sku: 'MUG-LOGO', quantity: 2 }] } });
    expect(commandMessage('RELEASE_STOCK', order)).toEqual({ message: ReleaseStockV1, data: { orderId: 'o-1' } });
    for (const s of steps) {
      expect(commandMessage(s.step as never, order).message).toBe(s.command.message);
      expect(commandMessage(s.compensation as never, order).message).toBe(s.compensate.message);
    }
  });

  describe('replyAnswers: a reply is accepted only for the command it answers (its causation id is that command\'s id)', () => {
    const commands: Array<SagaCommand | null> = [...steps.flatMap((s) => [s.step, s.compensation] as SagaCommand[]), null];
    // reply -> the commands (null: caused by none) it answers; every other pair is refused.
    const answers: Record<string, Array<SagaCommand | null>> = {
      StockReserved: ['RESERVE_STOCK'],
      StockReservationFailed: ['RESERVE_STOCK'],
      StockReleased: ['RELEASE_STOCK'],
      PaymentCharged: ['CHARGE_PAYMENT'],
      PaymentDeclined: ['CHARGE_PAYMENT'],
      PaymentRefunded: ['REFUND_PAYMENT'],
      ShipmentScheduled: ['SCHEDULE_SHIPMENT'],
      ShipmentImpossible: ['SCHEDULE_SHIPMENT'],
      ShipmentCancelled: ['CANCEL_SHIPMENT'],
      ShipmentDispatched: ['CANCEL_SHIPMENT', null],
    };

    it('has a row for every reply of the table', () => {
      expect(Object.keys(answers).sort()).toEqual(replies.map((r) => r.name).sort());
    });

    it.each(Object.entries(answers).flatMap(([reply, accepted]) => commands.map((command) => [reply, command, accepted.includes(command)] as const)))(
      '%s caused by %s: %s',
      (reply, command, expected) => {
        expect(replyAnswers(reply, command)).toBe(expected);
      },
    );

    it('answers nothing for a name the table does not have', () => {
      for (const command of commands) expect(replyAnswers('ProductCatalogUpdated', command)).toBe(false);
    });
  });
});
