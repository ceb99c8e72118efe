import { MessageProviderPact } from '@pact-foundation/pact';
import { ChargePaymentV1, PaymentChargedV1, PaymentDeclinedV1, PaymentRefundedV1, RefundPaymentV1 } from '@shop/contracts';
import { createEnvelope, type OutboxWriter } from '@shop/messaging';
import { pactFile, RecordingOutbox, testContext } from '@shop/messaging/testing';
import { FaultSwitch } from '@shop/platform';
import type { AccountService } from '../../src/accounts/application/account.service';
import { PaymentCommandsHandler } from '../../src/accounts/application/on-payment-commands/payment-commands.handler';

/** Payment verifies order's pact with the messages its real handlers build. */
describe('pact: payment as provider', () => {
  it("satisfies order's pact", async () => {
    const outbox = new RecordingOutbox('payment');
    const accounts = {
      charge: jest.fn().mockResolvedValueOnce({ status: 'CHARGED', amountCents: 2500 }).mockResolvedValueOnce({ status: 'DECLINED', amountCents: 2500, reason: 'CARD_DECLINED' }),
      refund: jest.fn().mockResolvedValue({ status: 'REFUNDED', amountCents: 2500 }),
    };
    const handler = new PaymentCommandsHandler(accounts as unknown as AccountService, outbox as unknown as OutboxWriter, new FaultSwitch({ delayMs: 0, failureRate: 0 }));
    const charge = createEnvelope(ChargePaymentV1, { orderId: 'order-1', customerId: 'alice', amountCents: 2500, currency: 'EUR', paymentMethod: 'card' }, 'order');
    await handler.charge(charge.data, testContext(charge));
    await handler.charge(charge.data, testContext(charge));
    const refund = createEnvelope(RefundPaymentV1, { orderId: 'order-1', customerId: 'alice', currency: 'EUR' }, 'order');
    await handler.refund(refund.data, testContext(refund));

    const sent = [PaymentChargedV1, PaymentDeclinedV1, PaymentRefundedV1] as const;
    await new MessageProviderPact({
      provider: 'payment',
      pactUrls: [pactFile('order', 'payment')],
      messageProviders: outbox.providers(sent),
      logLevel: 'warn',
    }).verify();
  });
});
