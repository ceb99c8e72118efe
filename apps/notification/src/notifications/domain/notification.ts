/**
 * What the customer is told, and when. Pure: the wording of each email lives here.
 * One notification per (order, kind): that pair is the notification's identity, so the same
 * event delivered twice can never produce a second email.
 */
export type NotificationKind = 'ORDER_CONFIRMED' | 'ORDER_REJECTED' | 'ORDER_CANCELLED' | 'ORDER_SHIPPED' | 'ORDER_DELIVERED';

export interface NotificationRequest {
  orderId: string;
  kind: NotificationKind;
  recipient: string;
  customerName: string;
  /** e.g. the order total, or why it was rejected. */
  detail?: string;
}

export interface Email {
  to: string;
  subject: string;
  text: string;
  /** Deterministic, so a receiving mail system can also recognise a repeat. */
  messageId: string;
}

const SUBJECT: Record<NotificationKind, string> = {
  ORDER_CONFIRMED: 'is confirmed',
  ORDER_REJECTED: 'could not be accepted',
  ORDER_CANCELLED: 'is cancelled',
  ORDER_SHIPPED: 'has shipped',
  ORDER_DELIVERED: 'was delivered',
};

const BODY: Record<NotificationKind, string> = {
  ORDER_CONFIRMED: 'We have reserved your items, taken your payment and scheduled the shipment.',
  ORDER_REJECTED: 'We are sorry: we could not complete your order. Nothing has been charged.',
  ORDER_CANCELLED: 'Your order was cancelled as you asked. Any payment has been refunded.',
  ORDER_SHIPPED: 'Your parcel is on its way.',
  ORDER_DELIVERED: 'Your parcel has been delivered. Enjoy!',
};

export function renderEmail(request: NotificationRequest, domain: string): Email {
  const lines = [`Hello ${request.customerName},`, '', BODY[request.kind]];
  if (request.detail) lines.push('', request.detail);
  lines.push('', `Order ${request.orderId}`, '', '-- The Shop');
  return {
    to: request.recipient,
    subject: `Your order ${request.orderId} ${SUBJECT[request.kind]}`,
    text: lines.join('\n'),
    messageId: `<${request.orderId}.${request.kind.toLowerCase()}@${domain}>`,
  };
}
