import { CONSUMER_SESSION_TIMEOUT_MS } from '@shop/messaging';
import { commandClock } from './deadline-watcher';
import { ReplyChannel } from './reply-channel';

const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

describe('commandClock: when the clock of the command an order waits on started', () => {
  const due = { id: 'o-1', traceContext: null };
  const rejoin = 10_000;
  const afterOutage = (open: number) =>
    `replies could not reach the order service until ${t(open).toISOString()}, and a participant's consumer may need 10 s more to rejoin its group`;

  it('not yet while the command is still in the outbox', () => {
    expect(commandClock({ ...due, commandWaiting: true, commandPublishedAt: null }, t(0).getTime(), rejoin)).toEqual({
      startedAt: null,
      why: 'its command has not reached Kafka yet',
    });
  });

  it('at its publication, when the consumer groups had time to form by then', () => {
    expect(commandClock({ ...due, commandWaiting: false, commandPublishedAt: t(30) }, t(0).getTime(), rejoin)).toEqual({
      startedAt: t(30),
      why: `its command reached Kafka at ${t(30).toISOString()}`,
    });
  });

  it('a session timeout after replies could reach the service again, if the command was published before (an outage, a restart)', () => {
    expect(commandClock({ ...due, commandWaiting: false, commandPublishedAt: t(10) }, t(40).getTime(), rejoin)).toEqual({
      startedAt: t(50),
      why: afterOutage(40),
    });
  });

  it('the same for a command published while the groups may still be re-forming', () => {
    expect(commandClock({ ...due, commandWaiting: false, commandPublishedAt: t(45) }, t(40).getTime(), rejoin)).toEqual({
      startedAt: t(50),
      why: afterOutage(40),
    });
  });

  it('by default, the consumers\' session timeout', () => {
    expect(commandClock({ ...due, commandWaiting: false, commandPublishedAt: t(10) }, t(40).getTime())?.startedAt).toEqual(
      new Date(t(40).getTime() + CONSUMER_SESSION_TIMEOUT_MS),
    );
  });

  it('unknown when the outbox row is gone and nothing else is known: the deadline stands', () => {
    expect(commandClock({ ...due, commandWaiting: false, commandPublishedAt: null }, null, rejoin)).toBeUndefined();
  });
});

describe('ReplyChannel: whether replies can reach this service', () => {
  function channel(answers: boolean[], joined = () => true) {
    let probes = 0;
    const kafka = () => Promise.resolve(answers[Math.min(probes++, answers.length - 1)]);
    return { channel: new ReplyChannel(kafka, joined, 1000), probes: () => probes };
  }

  it('opens when Kafka answers and remembers since when', async () => {
    const { channel: c } = channel([true]);
    expect(await c.check(5000)).toEqual({ open: true, openSince: 5000 });
    expect(await c.check(9000)).toEqual({ open: true, openSince: 5000 });
  });

  it('closes while Kafka does not answer, and restarts the clock when it answers again', async () => {
    const { channel: c } = channel([true, false, false, true]);
    expect(await c.check(0)).toEqual({ open: true, openSince: 0 });
    expect(await c.check(1000)).toEqual({ open: false, openSince: null });
    expect(await c.check(2000)).toEqual({ open: false, openSince: null });
    expect(await c.check(3000)).toEqual({ open: true, openSince: 3000 });
  });

  it('stays closed until the consumer has joined its group, without asking Kafka', async () => {
    let joined = false;
    const { channel: c, probes } = channel([true], () => joined);
    expect(await c.check(0)).toEqual({ open: false, openSince: null });
    expect(probes()).toBe(0);
    joined = true;
    expect(await c.check(1000)).toEqual({ open: true, openSince: 1000 });
  });

  it('asks Kafka at most once per recheck interval', async () => {
    const { channel: c, probes } = channel([true]);
    await c.check(0);
    await c.check(400);
    await c.check(999);
    expect(probes()).toBe(1);
    await c.check(1000);
    expect(probes()).toBe(2);
  });
});
