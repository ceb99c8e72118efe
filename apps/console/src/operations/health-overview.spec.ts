import { dependencyRow, serviceRow } from './health-overview';

const ready = {
  status: 'ok',
  details: {
    postgres: { status: 'up' },
    kafka: { status: 'up' },
    messaging: { status: 'up' },
  },
};
const kafkaDown = {
  status: 'error',
  details: {
    postgres: { status: 'up' },
    kafka: { status: 'down', message: 'Connection error' },
    messaging: { status: 'up' },
  },
};

describe('serviceRow', () => {
  it('is up when live and ready answer 200, and names each dependency', () => {
    expect(serviceRow('order', 200, { status: 200, body: ready })).toEqual({
      name: 'order',
      kind: 'service',
      up: true,
      detail: 'live ok; ready ok: postgres up, kafka up, messaging up',
    });
  });

  it("names each dependency breaker's state: closed, or open since when and why; an open one leaves the row up", () => {
    const breakers = {
      status: 'up',
      breakers: [
        { consumer: 'notification', dependency: 'database', state: 'closed', since: '2026-12-07T12:00:00.000Z' },
        { consumer: 'notification-sender', dependency: 'smtp', state: 'open', since: '2026-12-07T12:40:01.123Z', lastError: 'connect ECONNREFUSED 127.0.0.1:1025' },
      ],
    };
    expect(serviceRow('notification', 200, { status: 200, body: { status: 'ok', details: { ...ready.details, breakers } } })).toEqual({
      name: 'notification',
      kind: 'service',
      up: true,
      detail: 'live ok; ready ok: postgres up, kafka up, messaging up; breakers: database closed, smtp open since 12:40:01 (connect ECONNREFUSED 127.0.0.1:1025)',
    });
  });

  it('is down when not ready, saying what is missing, or when it does not answer', () => {
    expect(serviceRow('payment', 200, { status: 503, body: kafkaDown })).toMatchObject({
      up: false,
      detail: 'live ok; ready 503: postgres up, kafka down (Connection error), messaging up',
    });
    expect(serviceRow('shipping', 'ECONNREFUSED', 'ECONNREFUSED')).toEqual({
      name: 'shipping',
      kind: 'service',
      up: false,
      detail: 'live: ECONNREFUSED; ready: ECONNREFUSED',
    });
  });
});

describe('dependencyRow', () => {
  it('is up when every service reporting on it says so', () => {
    expect(
      dependencyRow('Kafka', 'kafka', [
        { service: 'order', body: ready },
        { service: 'payment', body: ready },
      ]),
    ).toEqual({
      name: 'Kafka',
      kind: 'infrastructure',
      up: true,
      detail: 'up for order, payment',
    });
  });

  it('is down naming the services that see it down, or when nobody reported', () => {
    expect(
      dependencyRow('Kafka', 'kafka', [
        { service: 'order', body: ready },
        { service: 'payment', body: kafkaDown },
      ]),
    ).toMatchObject({
      up: false,
      detail: 'down for payment (Connection error)',
    });
    expect(dependencyRow('Postgres', 'postgres', [{ service: 'order', body: null }])).toMatchObject({
      up: false,
      detail: 'no service reported on it (are they running?)',
    });
  });
});
