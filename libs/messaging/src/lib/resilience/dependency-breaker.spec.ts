import { BREAKER_TRANSITIONS, DependencyBreaker, type BreakerTransition } from './dependency-breaker';

const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const ownFailure = new Error('the order has no lines');

describe('DependencyBreaker', () => {
  let transitions: BreakerTransition[];
  let probeAnswers: boolean[];
  let probeCalls: number[];
  let breaker: DependencyBreaker;

  beforeEach(() => {
    jest.useFakeTimers();
    transitions = [];
    probeAnswers = [];
    probeCalls = [];
    breaker = new DependencyBreaker({
      consumer: 'inventory',
      dependency: 'database',
      isDown: (error) => (error as { code?: string }).code === 'ECONNREFUSED',
      probe: async () => {
        probeCalls.push(Date.now());
        if (!(probeAnswers.shift() ?? false)) throw new Error('still down');
      },
      settings: { probeBaseMs: 100, probeMaxMs: 400, probeTimeoutMs: 50, trialWindowMs: 1000 },
      onTransition: (t) => transitions.push(t),
    });
  });

  afterEach(() => {
    breaker.stop();
    jest.useRealTimers();
  });

  const path = () => transitions.map((t) => `${t.from}->${t.to}`);

  it('is one table: every state is reachable and each reaches closed again', () => {
    const next = (s: keyof typeof BREAKER_TRANSITIONS) => Object.values(BREAKER_TRANSITIONS[s]);
    expect(next('closed')).toEqual(['open']);
    expect(next('open')).toEqual(['half_open']);
    expect(new Set(next('half_open'))).toEqual(new Set(['open', 'closed']));
  });

  it("stays closed on the work's own failures, and admits everyone", async () => {
    expect(breaker.failed(ownFailure)).toBe(false);
    expect(breaker.failed(new Error('ECONNREFUSED in a message text'))).toBe(false);
    expect(breaker.state).toBe('closed');
    await expect(breaker.admit()).resolves.toBe(true);
    await expect(breaker.admit()).resolves.toBe(true);
    expect(transitions).toEqual([]);
  });

  it('opens on one down failure, refuses work while open and probes on a doubling schedule up to the maximum', async () => {
    const opened = Date.now();
    expect(breaker.failed(down)).toBe(true);
    expect(breaker.state).toBe('open');
    expect(transitions).toEqual([{ consumer: 'inventory', dependency: 'database', from: 'closed', to: 'open', event: 'down', error: down.message }]);
    await expect(breaker.admit()).resolves.toBe(false);
    // A second down failure while open (another partition's delivery) changes nothing.
    expect(breaker.failed(down)).toBe(true);
    expect(transitions).toHaveLength(1);

    await jest.advanceTimersByTimeAsync(100 + 200 + 400 + 400);
    expect(probeCalls.map((t) => t - opened)).toEqual([100, 300, 700, 1100]);
    expect(breaker.state).toBe('open');
    expect(breaker.snapshot()).toMatchObject({ dependency: 'database', state: 'open', lastError: 'still down' });
  });

  it('a probe that hangs counts as failed after the probe timeout', async () => {
    const hanging = new DependencyBreaker({
      consumer: 'inventory',
      dependency: 'database',
      isDown: () => true,
      probe: () => new Promise(() => undefined),
      settings: { probeBaseMs: 100, probeMaxMs: 100, probeTimeoutMs: 50, trialWindowMs: 1000 },
    });
    hanging.failed(down);
    await jest.advanceTimersByTimeAsync(100 + 50);
    expect(hanging.snapshot()).toMatchObject({ state: 'open', lastError: 'no answer within 50 ms' });
    hanging.stop();
  });

  it('half-open after a probe answers: one trial admitted, the others wait; the trial answering closes it and admits them', async () => {
    probeAnswers = [false, true];
    breaker.failed(down);
    await jest.advanceTimersByTimeAsync(100 + 200);
    expect(breaker.state).toBe('half_open');
    await expect(breaker.admit()).resolves.toBe(true);
    const second = breaker.admit();
    const third = breaker.admit();
    breaker.answered();
    await expect(second).resolves.toBe(true);
    await expect(third).resolves.toBe(true);
    expect(path()).toEqual(['closed->open', 'open->half_open', 'half_open->closed']);
    expect(breaker.snapshot()).not.toHaveProperty('lastError');
  });

  it('admitNow does not wait: half-open, the trial is taken once and every other caller is told no', async () => {
    probeAnswers = [true];
    breaker.failed(down);
    expect(breaker.admitNow()).toBe(false);
    await jest.advanceTimersByTimeAsync(100);
    expect([breaker.admitNow(), breaker.admitNow()]).toEqual([true, false]);
    breaker.answered();
    expect(breaker.admitNow()).toBe(true);
  });

  it("a trial that fails for its own reason closes it too: the dependency answered", async () => {
    probeAnswers = [true];
    breaker.failed(down);
    await jest.advanceTimersByTimeAsync(100);
    await breaker.admit();
    expect(breaker.failed(ownFailure)).toBe(false);
    expect(breaker.state).toBe('closed');
  });

  it('a trial that finds the dependency down opens it again, refuses the waiting callers and probes more slowly', async () => {
    probeAnswers = [true];
    const opened = Date.now();
    breaker.failed(down);
    await jest.advanceTimersByTimeAsync(100);
    await breaker.admit();
    const waiting = breaker.admit();
    expect(breaker.failed(down)).toBe(true);
    await expect(waiting).resolves.toBe(false);
    expect(path()).toEqual(['closed->open', 'open->half_open', 'half_open->open']);
    await jest.advanceTimersByTimeAsync(200);
    // The first probe at 100 answered; the next one waits 200 (one probe done), not 100.
    expect(probeCalls.map((t) => t - opened)).toEqual([100, 300]);
  });

  it('half-open with nothing to try closes after the trial window', async () => {
    probeAnswers = [true];
    breaker.failed(down);
    await jest.advanceTimersByTimeAsync(100);
    expect(breaker.state).toBe('half_open');
    await jest.advanceTimersByTimeAsync(999);
    expect(breaker.state).toBe('half_open');
    await jest.advanceTimersByTimeAsync(1);
    expect(breaker.state).toBe('closed');
    expect(transitions.at(-1)).toMatchObject({ from: 'half_open', to: 'closed', event: 'trial_window_passed' });
  });

  it('after closing, the next outage probes from the base delay again', async () => {
    probeAnswers = [false, false, true];
    breaker.failed(down);
    await jest.advanceTimersByTimeAsync(100 + 200 + 400);
    breaker.answered();
    expect(breaker.state).toBe('closed');
    probeCalls = [];
    const reopened = Date.now();
    breaker.failed(down);
    await jest.advanceTimersByTimeAsync(100);
    expect(probeCalls.map((t) => t - reopened)).toEqual([100]);
  });

  it('stop ends the probing and refuses the waiting callers', async () => {
    probeAnswers = [true];
    breaker.failed(down);
    await jest.advanceTimersByTimeAsync(100);
    await breaker.admit();
    const waiting = breaker.admit();
    breaker.stop();
    await expect(waiting).resolves.toBe(false);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(probeCalls).toHaveLength(1);
  });

  it('started again while open, probes again', async () => {
    breaker.failed(down);
    breaker.stop();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(probeCalls).toHaveLength(0);
    probeAnswers = [true];
    breaker.start();
    await jest.advanceTimersByTimeAsync(100);
    expect(probeCalls).toHaveLength(1);
    expect(breaker.state).toBe('half_open');
  });
});
