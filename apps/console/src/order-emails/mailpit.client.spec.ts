import type { ConsoleConfig } from '../config';
import { closedUrl, fakeHttpServer, json } from '../testing/fake-http-server';
import { MailpitClient } from './mailpit.client';

const orderId = '0b6a3a52-4b1f-4f0e-9d6c-1f2e3d4c5b6a';
const client = (url: string) => new MailpitClient({ MAILPIT_URL: url } as ConsoleConfig);

/** Mailpit's answers as 1.27 gives them: the search newest first, each message with its bodies. */
const summaries = [
  {
    ID: 'id-shipped',
    MessageID: `${orderId}.order_shipped@shop.local`,
    Subject: `Your order ${orderId} has shipped`,
    To: [{ Name: 'Alice', Address: 'alice@example.com' }],
    Created: '2026-12-02T12:00:09.5Z',
  },
  {
    ID: 'id-confirmed',
    MessageID: `${orderId}.order_confirmed@shop.local`,
    Subject: `Your order ${orderId} is confirmed`,
    To: [{ Name: 'Alice', Address: 'alice@example.com' }],
    Created: '2026-12-02T12:00:01.25Z',
  },
];
const bodies: Record<string, { ID: string; Text: string; HTML: string }> = {
  'id-shipped': { ID: 'id-shipped', Text: 'Your parcel is on its way.', HTML: '' },
  'id-confirmed': { ID: 'id-confirmed', Text: 'We have reserved your items.', HTML: '<p>We have <b>reserved</b> your items.</p>' },
};

describe('MailpitClient', () => {
  it("finds the order's emails by their Message-ID, oldest first, with subject, recipients, time and bodies", async () => {
    const mailpit = await fakeHttpServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      if (url.pathname === '/api/v1/search') return json(res, 200, { total: 10, messages_count: 2, messages: summaries });
      const body = bodies[url.pathname.replace('/api/v1/message/', '')];
      return body ? json(res, 200, body) : json(res, 404, 'not found');
    });
    try {
      expect(await client(mailpit.url).orderEmails(orderId)).toEqual({
        state: 'found',
        emails: [
          {
            id: 'id-confirmed',
            subject: `Your order ${orderId} is confirmed`,
            to: ['alice@example.com'],
            at: '2026-12-02T12:00:01.250Z',
            text: 'We have reserved your items.',
            html: '<p>We have <b>reserved</b> your items.</p>',
          },
          { id: 'id-shipped', subject: `Your order ${orderId} has shipped`, to: ['alice@example.com'], at: '2026-12-02T12:00:09.500Z', text: 'Your parcel is on its way.', html: null },
        ],
      });
      expect(mailpit.requests[0].searchParams.get('query')).toBe(`message-id:${orderId}`);
    } finally {
      await mailpit.close();
    }
  });

  it('no email yet is an empty list', async () => {
    const mailpit = await fakeHttpServer((_req, res) => json(res, 200, { total: 0, messages_count: 0, messages: [] }));
    try {
      expect(await client(mailpit.url).orderEmails(orderId)).toEqual({ state: 'found', emails: [] });
    } finally {
      await mailpit.close();
    }
  });

  it('unavailable, saying why, when Mailpit fails or is not there', async () => {
    const mailpit = await fakeHttpServer((_req, res) => json(res, 503, 'down'));
    try {
      expect(await client(mailpit.url).orderEmails(orderId)).toEqual({ state: 'unavailable', detail: `Mailpit answered 503 to GET /api/v1/search at ${mailpit.url}` });
    } finally {
      await mailpit.close();
    }
    const nobody = await closedUrl();
    expect(await client(nobody).orderEmails(orderId)).toEqual({ state: 'unavailable', detail: `Mailpit does not answer at ${nobody}: ECONNREFUSED` });
  });
});
