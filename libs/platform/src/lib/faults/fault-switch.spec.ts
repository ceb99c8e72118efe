import { FaultSwitch, SimulatedFault } from './fault-switch';

describe('FaultSwitch', () => {
  it('does nothing when off', async () => {
    const faults = new FaultSwitch({ delayMs: 0, failureRate: 0 }, () => 0);
    await expect(faults.apply()).resolves.toBeUndefined();
  });

  it('delays by delayMs', async () => {
    const faults = new FaultSwitch({ delayMs: 60, failureRate: 0 });
    const started = Date.now();
    await faults.apply();
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('fails the share given by failureRate', async () => {
    let draw = 0;
    const draws = [0.1, 0.9, 0.2, 0.6];
    const faults = new FaultSwitch({ delayMs: 0, failureRate: 0.5 }, () => draws[draw++]);
    const outcomes = await Promise.all(draws.map(() => faults.apply().then(() => 'ok', (e) => (e instanceof SimulatedFault ? 'fault' : 'other'))));
    expect(outcomes).toEqual(['fault', 'ok', 'fault', 'ok']);
  });

  it('refuses out-of-range settings and keeps the old ones', () => {
    const faults = new FaultSwitch({ delayMs: 0, failureRate: 0 });
    expect(() => faults.set({ failureRate: 2 })).toThrow();
    expect(() => faults.set({ delayMs: -1 })).toThrow();
    expect(faults.set({ delayMs: 250 })).toEqual({ delayMs: 250, failureRate: 0 });
  });
});
