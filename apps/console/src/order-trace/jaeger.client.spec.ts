import type { ConsoleConfig } from '../config';
import { closedUrl, fakeHttpServer, json } from '../testing/fake-http-server';
import { JaegerClient } from './jaeger.client';

const orderId = '0b6a3a52-4b1f-4f0e-9d6c-1f2e3d4c5b6a';
const placedAt = '2026-12-02T12:00:00.000Z';
const now = new Date('2026-12-02T12:00:05.000Z');
const client = (url: string) => new JaegerClient({ JAEGER_QUERY_URL: url } as ConsoleConfig);

const oneSpanTrace = {
  traceID: 'abc',
  processes: { p1: { serviceName: 'order' } },
  spans: [{ spanID: 's1', operationName: 'POST /orders', references: [], startTime: Date.parse(placedAt) * 1000, duration: 4000, processID: 'p1', tags: [] }],
};

describe('JaegerClient', () => {
  it("searches the order service's traces by the order id tag, around the placement, in microseconds", async () => {
    const jaeger = await fakeHttpServer((_req, res) => json(res, 200, { data: [oneSpanTrace], errors: null }));
    try {
      const result = await client(jaeger.url).orderTrace(orderId, placedAt, now);
      expect(result).toMatchObject({ state: 'found', trace: { traceId: 'abc', spans: [{ id: 's1', service: 'order', durationMs: 4 }] } });
      const asked = jaeger.requests[0];
      expect(asked.pathname).toBe('/api/traces');
      expect(asked.searchParams.get('service')).toBe('order');
      expect(JSON.parse(asked.searchParams.get('tags') ?? '')).toEqual({ 'shop.order_id': orderId });
      expect(Number(asked.searchParams.get('start'))).toBe((Date.parse(placedAt) - 60_000) * 1000);
      expect(Number(asked.searchParams.get('end'))).toBe((now.getTime() + 60_000) * 1000);
    } finally {
      await jaeger.close();
    }
  });

  it('pending while Jaeger holds no span of the order', async () => {
    const jaeger = await fakeHttpServer((_req, res) => json(res, 200, { data: [], errors: null }));
    try {
      expect(await client(jaeger.url).orderTrace(orderId, placedAt, now)).toEqual({ state: 'pending' });
    } finally {
      await jaeger.close();
    }
  });

  it('unavailable, saying why, when Jaeger fails or is not there', async () => {
    const jaeger = await fakeHttpServer((_req, res) => json(res, 500, { errors: [{ code: 500, msg: 'boom' }] }));
    try {
      expect(await client(jaeger.url).orderTrace(orderId, placedAt, now)).toEqual({ state: 'unavailable', detail: `Jaeger answered 500 to GET /api/traces at ${jaeger.url}` });
    } finally {
      await jaeger.close();
    }
    const nobody = await closedUrl();
    expect(await client(nobody).orderTrace(orderId, placedAt, now)).toEqual({ state: 'unavailable', detail: `Jaeger does not answer at ${nobody}: ECONNREFUSED` });
  });
});
