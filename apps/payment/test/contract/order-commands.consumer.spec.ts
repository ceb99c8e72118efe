import { MessageConsumerPact } from '@pact-foundation/pact';
import { ChargePaymentV1, PaymentChargedV1, PaymentRefundedV1, RefundPaymentV1 } from '@shop/contracts';
import type { OutboxWriter } from '@shop/messaging';
import { contractDescription, envelopeFromPact, matching, messagesHandledBy, PACT_DIR, pactFile, pactInteractions, pactMetadata, RecordingOutbox, testContext } from '@shop/messaging/testing';
import { FaultSwitch } from '@shop/platform';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountService } from '../../src/accounts/application/account.service';
import { PaymentCommandsHandler } from '../../src/accounts/application/on-payment-commands/payment-commands.handler';

/** Payment's expectations of the commands order sends it; each example is fed to the real handler. */
describe('pact: payment consumes order commands', () => {
  const pact = new MessageConsumerPact({ consumer: 'payment', provider: 'order', dir: PACT_DIR, logLevel: 'warn' });
  const accounts = { charge: jest.fn(), refund: jest.fn() };
  const outbox = new RecordingOutbox('payment');
  const handler = new PaymentCommandsHandler(accounts as unknown as AccountService, outbox as unknown as OutboxWriter, new FaultSwitch({ delayMs: 0, failureRate: 0 }));

  beforeAll(() => rmSync(pactFile('payment', 'order'), { force: true }));

  it(contractDescription(ChargePaymentV1), () => {
    accounts.charge.mockResolvedValue({ status: 'CHARGED', amountCents: 2500 });
    const command = { orderId: 'order-1', customerId: 'alice', amountCents: 2500, currency: 'EUR', paymentMethod: 'card' };
    return pact
      .expectsToReceive(contractDescription(ChargePaymentV1))
      .withContent(matching(command))
      .withMetadata(pactMetadata(ChargePaymentV1))
      .verify(async (message) => {
        const envelope = envelopeFromPact(ChargePaymentV1, message);
        await handler.charge(envelope.data, testContext(envelope));
        expect(accounts.charge).toHaveBeenCalledWith(expect.anything(), command);
        expect(outbox.last(PaymentChargedV1).data).toEqual({ orderId: 'order-1', amountCents: 2500, currency: 'EUR' });
      });
  });

  it(contractDescription(RefundPaymentV1), () => {
    accounts.refund.mockResolvedValue({ status: 'REFUNDED', amountCents: 2500 });
    return pact
      .expectsToReceive(contractDescription(RefundPaymentV1))
      .withContent(matching({ orderId: 'order-1', customerId: 'alice', currency: 'EUR' }))
      .withMetadata(pactMetadata(RefundPaymentV1))
      .verify(async (message) => {
        const envelope = envelopeFromPact(RefundPaymentV1, message);
        await handler.refund(envelope.data, testContext(envelope));
        expect(accounts.refund).toHaveBeenCalledWith(expect.anything(), 'alice', 'order-1', 'EUR');
        expect(outbox.last(PaymentRefundedV1).data).toEqual({ orderId: 'order-1', amountCents: 2500, currency: 'EUR' });
      });
  });

  // Last: the pacts written above must cover every message type this service handles.
  it('covers every message payment handles', () => {
    const handled = [...messagesHandledBy(PaymentCommandsHandler)].map(contractDescription).sort();
    const files = readdirSync(PACT_DIR).filter((f) => f.startsWith('payment-'));
    expect(files.flatMap((f) => pactInteractions(join(PACT_DIR, f))).sort()).toEqual(handled);
  });
});
