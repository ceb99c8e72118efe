import { renderEmail, type NotificationKind } from './notification';

describe('renderEmail', () => {
  const request = { orderId: '7d5f0c1e-0000-4000-8000-000000000001', recipient: 'alice@example.com', customerName: 'Alice Example' };

  it.each<[NotificationKind, string, string]>([
    ['ORDER_CONFIRMED', 'is confirmed', 'taken your payment and scheduled the shipment'],
    ['ORDER_REJECTED', 'could not be accepted', 'Nothing has been charged.'],
    ['ORDER_CANCELLED', 'is cancelled', 'Any payment has been refunded.'],
    ['ORDER_SHIPPED', 'has shipped', 'on its way'],
    ['ORDER_DELIVERED', 'was delivered', 'has been delivered'],
  ])('%s: subject names the order and what happened; the body greets, explains and signs', (kind, subject, body) => {
    const email = renderEmail({ ...request, kind }, 'shop.example');
    expect(email.to).toBe('alice@example.com');
    expect(email.subject).toBe(`Your order ${request.orderId} ${subject}`);
    const lines = email.text.split('\n');
    expect(lines[0]).toBe('Hello Alice Example,');
    expect(lines[2]).toContain(body);
    expect(lines).toContain(`Order ${request.orderId}`);
    expect(lines.at(-1)).toBe('-- The Shop');
  });

  it('adds the detail (a total, or the reason of a rejection) as its own paragraph', () => {
    const email = renderEmail({ ...request, kind: 'ORDER_REJECTED', detail: 'Reason: OUT_OF_STOCK: MUG-LOGO' }, 'shop.example');
    expect(email.text).toContain('Nothing has been charged.\n\nReason: OUT_OF_STOCK: MUG-LOGO\n\nOrder ');
    expect(renderEmail({ ...request, kind: 'ORDER_REJECTED' }, 'shop.example').text).not.toContain('Reason');
  });

  it('gives each (order, kind) one Message-ID, the same every time, so a repeat is recognisable', () => {
    const a = renderEmail({ ...request, kind: 'ORDER_SHIPPED' }, 'shop.example');
    expect(a.messageId).toBe(`<${request.orderId}.order_shipped@shop.example>`);
    expect(renderEmail({ ...request, kind: 'ORDER_SHIPPED', detail: 'again' }, 'shop.example').messageId).toBe(a.messageId);
    expect(renderEmail({ ...request, kind: 'ORDER_DELIVERED' }, 'shop.example').messageId).not.toBe(a.messageId);
  });
});
