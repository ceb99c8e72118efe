import { Injectable } from '@nestjs/common';
import { captureTraceContext } from '@shop/messaging';
import type { EntityManager } from 'typeorm';
import { renderEmail, type NotificationRequest } from '../domain/notification';
import { NotificationEntity } from '../infrastructure/notification.entity';

export const MAIL_DOMAIN = 'shop.local';

@Injectable()
export class NotificationService {
  /**
   * Records the email to send, in the caller's transaction (the one that records the event as
   * handled), with the trace it arrived in. The second request for the same order and kind
   * changes nothing.
   * @returns whether this call created it
   */
  async enqueue(manager: EntityManager, request: NotificationRequest): Promise<boolean> {
    const email = renderEmail(request, MAIL_DOMAIN);
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(NotificationEntity)
      .values({
        orderId: request.orderId,
        kind: request.kind,
        recipient: email.to,
        subject: email.subject,
        body: email.text,
        messageId: email.messageId,
        traceContext: captureTraceContext(),
      })
      .orIgnore()
      .execute();
    return (result.raw as unknown[]).length > 0;
  }
}
