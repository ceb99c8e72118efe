import { outcomeRates, type ServiceMessaging } from './operations';

const reading = (scrapedAt: string, handledTotal: Record<string, number>, error: string | null = null): ServiceMessaging => ({
  service: 'payment',
  scrapedAt,
  error,
  outboxBacklog: 0,
  oldestUnpublishedAgeSeconds: 0,
  kafkaReachable: true,
  consumerLag: [],
  handledTotal,
});

describe('outcomeRates', () => {
  it('is the increase per second since the previous reading, per outcome', () => {
    const before = reading('2026-12-02T10:00:00.000Z', {
      handled: 10,
      dead_lettered: 1,
    });
    const after = reading('2026-12-02T10:00:02.000Z', {
      handled: 16,
      dead_lettered: 2,
      duplicate: 1,
    });
    expect(outcomeRates(before, after)).toEqual({
      handled: 3,
      dead_lettered: 0.5,
      duplicate: 0.5,
    });
  });

  it('counts from zero when a counter went down (the service restarted)', () => {
    const before = reading('2026-12-02T10:00:00.000Z', { handled: 100 });
    const after = reading('2026-12-02T10:00:04.000Z', { handled: 8 });
    expect(outcomeRates(before, after)).toEqual({ handled: 2 });
  });

  it('is null without two readings a moment apart, or when either failed', () => {
    const now = reading('2026-12-02T10:00:00.000Z', { handled: 1 });
    expect(outcomeRates(undefined, now)).toBeNull();
    expect(outcomeRates(now, now)).toBeNull();
    expect(outcomeRates(reading('2026-12-02T09:59:59.000Z', {}, 'connection refused'), now)).toBeNull();
    expect(outcomeRates(now, reading('2026-12-02T10:00:01.000Z', {}, 'connection refused'))).toBeNull();
  });
});
