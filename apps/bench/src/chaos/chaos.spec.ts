import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chaosRate, refusedDomainIsRefused } from './chaos-shop';
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

  it('the Markdown report has a row per scenario and lists what failed', () => {
    const report: ChaosReport = {
      startedAt: '2026-12-02T00:00:00.000Z',
      durationS: 600,
      short: false,
      rate: 10,
      rateWhy: 'test',
      machine: { cores: 2, cpu: 'x', memoryGiB: 24, node: 'v24', gitCommit: 'abc' },
      scenarios: [
        { name: 'kill order', fault: 'SIGKILL', offered: 100, accepted: 90, final: 90, outcomes: { DELIVERED: 70, REJECTED: 18, CANCELLED: 2 }, stepsTimedOut: 3, recoverS: 7.5, problems: [], pass: true },
        {
          name: 'kafka outage',
          fault: 'stopped',
          offered: 300,
          accepted: 300,
          final: 299,
          outcomes: { DELIVERED: 200, REJECTED: 99, PENDING: 1 },
          stepsTimedOut: 0,
          recoverS: null,
          problems: ['order o-1 not final: PENDING'],
          pass: false,
        },
      ],
      pass: false,
    };
    const md = chaosMarkdown(report);
    expect(md).toContain('| kill order | SIGKILL | 100 | 90 | 90 | 70 / 18 / 2 | 3 | 7.5 s | all hold | pass |');
    expect(md).toContain('| kafka outage | stopped | 300 | 300 | 299 | 200 / 99 / 0 | 0 | not within 60 s | 1 failed | **FAIL** |');
    expect(md).toContain('### kafka outage\n- order o-1 not final: PENDING');
  });
});
