import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Tokens } from '@shop/testing';
import { chaosRate, refusedDomainIsRefused } from './chaos-shop';
import { clusterScenarios } from './cluster-scenarios';
import { ChaosLoad } from './load';
import { expectedEmails } from './checks';
import { CONSUMED, CONSUMED_TOPICS, POISON_KINDS } from './kafka-tools';
import { chaosMarkdown, type ChaosReport } from './report';
import { customerOf } from '@shop/testing';
import { REFUSED_CUSTOMER, REFUSED_DOMAIN, scenarios } from './scenarios';

describe('chaos: the parts that compute', () => {
  it.each([
    ['DELIVERED', false, ['ORDER_CONFIRMED', 'ORDER_SHIPPED', 'ORDER_DELIVERED']],
    ['REJECTED', false, ['ORDER_REJECTED']],
    ['CANCELLED', false, ['ORDER_CANCELLED']],
    ['CANCELLED', true, ['ORDER_CONFIRMED', 'ORDER_CANCELLED']],
    ['CONFIRMED', true, []],
  ] as const)('an order %s (confirmed before: %s) must have caused %j', (status, confirmed, emails) => {
    expect(expectedEmails(status, confirmed)).toEqual(emails);
  });

  describe('the load rate', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'chaos-rate-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('20 orders/s when no benchmark report exists', () => {
      expect(chaosRate(dir).rate).toBe(20);
    });

    it('half the newest report\'s sustained rate when that is lower, saying which report', () => {
      writeFileSync(join(dir, '2026-01-01T00-00-00.json'), JSON.stringify({ sustainedRate: 120 }));
      writeFileSync(join(dir, '2026-02-01T00-00-00.json'), JSON.stringify({ sustainedRate: 20 }));
      writeFileSync(join(dir, '2026-03-01T00-00-00-quick.json'), JSON.stringify({ sustainedRate: 4 }));
      writeFileSync(join(dir, 'chaos-2026-04-01T00-00-00.json'), JSON.stringify({ sustainedRate: 2 }));
      expect(chaosRate(dir)).toEqual({ rate: 10, why: 'half of the 20 orders/s sustained in 2026-02-01T00-00-00.json' });
    });

    it('20 orders/s when the newest report sustained 40 or more', () => {
      writeFileSync(join(dir, '2026-02-01T00-00-00.json'), JSON.stringify({ sustainedRate: 80 }));
      expect(chaosRate(dir).rate).toBe(20);
    });
  });

  it('every consumed topic gets every kind of poison, and the expected dead letters count each reading group', () => {
    expect(CONSUMED_TOPICS.length).toBeGreaterThan(5);
    const poison = POISON_KINDS.filter((p) => p.deadLettered).length;
    expect(poison).toBe(4);
    // order.events is read by notification only; inventory.commands by inventory only.
    expect(CONSUMED.filter((c) => c.topics.includes('order.events')).map((c) => c.group)).toEqual(['notification']);
  });

  it('the SMTP rule refuses the refused-address scenario\'s domain, where the realm gives that scenario\'s customer their address', () => {
    expect(refusedDomainIsRefused()).toBe(true);
    expect(customerOf(REFUSED_CUSTOMER).email).toBe(`${REFUSED_CUSTOMER}@${REFUSED_DOMAIN}`);
  });

  it('the long form kills all five services, the short form two', () => {
    const names = (short: boolean) => scenarios(short).map((s) => s.name).filter((n) => n.startsWith('kill '));
    expect(names(false)).toEqual(['kill order', 'kill inventory', 'kill payment', 'kill shipping', 'kill notification']);
    expect(names(true)).toEqual(['kill order', 'kill payment']);
  });

  it('the cluster run has the faults of that topology, the relay frozen 60 s (20 s in the short form)', () => {
    expect(clusterScenarios(false).map((s) => s.name)).toEqual(['kafka broker kill', 'active controller kill', 'replica kill', 'order relay frozen', 'rolling restart']);
    expect(clusterScenarios(false).find((s) => s.name === 'order relay frozen')?.fault).toContain('for 60 s');
    expect(clusterScenarios(true).find((s) => s.name === 'order relay frozen')?.fault).toContain('for 20 s');
  });

  it('the Markdown report has a row per scenario and lists what failed', () => {
    const report: ChaosReport = {
      startedAt: '2026-12-02T00:00:00.000Z',
      durationS: 600,
      short: false,
      cluster: false,
      rate: 10,
      rateWhy: 'test',
      machine: { cores: 2, cpu: 'x', memoryGiB: 24, node: 'v24', gitCommit: 'abc' },
      scenarios: [
        {
          name: 'kill order',
          fault: 'SIGKILL',
          offered: 100,
          accepted: 90,
          notAccepted: { ECONNREFUSED: 9, '503': 1 },
          final: 90,
          outcomes: { DELIVERED: 70, REJECTED: 18, CANCELLED: 2 },
          stepsTimedOut: 3,
          recoverS: 7.5,
          measured: ['back in 2 s'],
          problems: [],
          pass: true,
        },
        {
          name: 'kafka outage',
          fault: 'stopped',
          offered: 300,
          accepted: 300,
          notAccepted: {},
          final: 299,
          outcomes: { DELIVERED: 200, REJECTED: 99, PENDING: 1 },
          stepsTimedOut: 0,
          recoverS: null,
          measured: [],
          problems: ['order o-1 not final: PENDING', 'not ready: \n--- stdout ---\na service log line'],
          pass: false,
        },
      ],
      pass: false,
    };
    const md = chaosMarkdown(report);
    expect(md).toContain('| kill order | SIGKILL | 100 | 90 | 9 ECONNREFUSED, 1 503 | 90 | 70 / 18 / 2 | 3 | 7.5 s | all hold | pass |');
    expect(md).toContain('| kafka outage | stopped | 300 | 300 | none | 299 | 200 / 99 / 0 | 0 | not within 60 s | 2 failed | **FAIL** |');
    expect(md).toContain('## Measured\n\n- kill order: back in 2 s\n');
    expect(md).toContain('### kafka outage\n- order o-1 not final: PENDING\n- not ready: … (whole in the .json)\n');
    expect(md).not.toContain('a service log line');
    expect(md).not.toContain('two replicas');
    expect(chaosMarkdown({ ...report, cluster: true })).toContain('# Chaos run 2026-12-02T00:00:00.000Z: three Kafka nodes, two replicas of each service');
  });
});

describe('the chaos load over several order replicas', () => {
  /** An order API on 127.0.0.1 answering every POST with `status`; records each request's idempotency key. */
  const orderApi = async (status: number) => {
    const keys: string[] = [];
    const server: Server = createServer((req, res) => {
      if (req.url === '/orders') keys.push(String(req.headers['idempotency-key']));
      req.resume().on('end', () => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(status === 202 ? { orderId: `o-${keys.length}` } : {})));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, keys, close: () => new Promise((r) => server.close(r)) };
  };
  /** A port nothing listens on: a server opened and closed. */
  const closedPort = async () => {
    const api = await orderApi(202);
    await api.close();
    return api.url;
  };
  const tokens = { of: async () => 'token', header: async () => ({ authorization: 'Bearer token' }) } as unknown as Tokens;

  it('a refused connection is tried once on the next replica with the same idempotency key; a 5xx is counted, not retried', async () => {
    const up = await orderApi(202);
    const failing = await orderApi(503);
    try {
      const down = await closedPort();
      // Orders 0, 1, 2: to replica 0 (down: retried on 1), to 1, to 2 (answers 503).
      const load = new ChaosLoad([down, up.url, failing.url], tokens, 'unit', 1000);
      load.via = [0, 1, 2];
      await load.start();
      await waitUntilOffered(load, 3);
      await load.stop();
      expect(load.placed.length + load.refused).toBe(load.offered);
      // Order 0 reached replica 1 by the retry, with its own key; no order twice.
      expect(up.keys).toEqual(expect.arrayContaining(['chaos-unit-0', 'chaos-unit-1']));
      expect(new Set(up.keys).size).toBe(up.keys.length);
      expect(load.refusals.map((r) => r.answer)).toEqual(expect.arrayContaining([503]));
      expect(load.refusals.every((r) => r.answer === 503)).toBe(true);
      expect(failing.keys.length).toBe(load.refused);
    } finally {
      await up.close();
      await failing.close();
    }
  });

  it('with one replica a refused connection is counted as such', async () => {
    const load = new ChaosLoad([await closedPort()], tokens, 'unit', 1000);
    await load.start();
    await waitUntilOffered(load, 2);
    await load.stop();
    expect(load.placed).toEqual([]);
    expect(new Set(load.refusals.map((r) => r.answer))).toEqual(new Set(['ECONNREFUSED']));
  });
});

/** Until the load has offered `n` orders (it offers 1000 a second here). */
async function waitUntilOffered(load: ChaosLoad, n: number): Promise<void> {
  while (load.offered < n) await new Promise<void>((r) => setImmediate(r));
}
