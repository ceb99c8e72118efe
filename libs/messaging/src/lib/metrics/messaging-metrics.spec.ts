import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { MessagingMetrics } from './messaging-metrics';

/** A scrape of a registry holding only the outbox gauges, with a database that answers `query` as given. */
async function scrape(query: () => Promise<unknown>): Promise<{ text: string; queries: number }> {
  let queries = 0;
  const db = { query: () => (queries++, query()) } as unknown as DataSource;
  const registry = new Registry();
  new MessagingMetrics({ registry, db });
  return { text: await registry.metrics(), queries };
}

describe('MessagingMetrics: the outbox gauges', () => {
  it('reads the backlog and the oldest row age in one query per scrape, the database reachable', async () => {
    const { text, queries } = await scrape(async () => [{ n: 3, age: 1.5 }]);
    expect(text).toContain('shop_outbox_backlog 3');
    expect(text).toContain('shop_outbox_oldest_unpublished_age_seconds 1.5');
    expect(text).toContain('shop_database_reachable 1');
    expect(queries).toBe(1);
  });

  it('still answers the scrape when the database is down: reachable 0, the outbox gauges NaN (unknown, not 0)', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const { text } = await scrape(() => Promise.reject(refused));
    expect(text).toContain('shop_database_reachable 0');
    expect(text).toMatch(/^shop_outbox_backlog nan$/im);
    expect(text).toMatch(/^shop_outbox_oldest_unpublished_age_seconds nan$/im);
  });
});
