import { parseMix, pathOf } from './load';

describe('order mix', () => {
  it('normalises the shares and refuses unknown paths or bad numbers', () => {
    expect(parseMix('happy=3,declined=1')).toEqual([
      { path: 'happy', share: 0.75 },
      { path: 'declined', share: 0.25 },
    ]);
    expect(() => parseMix('happy=1,lost=1')).toThrow('--mix: unknown path "lost"');
    expect(() => parseMix('happy=x')).toThrow('the share of happy must be a number');
    expect(() => parseMix('happy=0')).toThrow('add up to 0');
  });

  it('sends each path its share of the orders, spread over the run', () => {
    const mix = parseMix('happy=70,out-of-stock=10,declined=10,unshippable=10');
    const counts = new Map<string, number>();
    for (let i = 0; i < 1000; i++) counts.set(pathOf(mix, i), (counts.get(pathOf(mix, i)) ?? 0) + 1);
    expect(counts.get('happy')).toBeGreaterThanOrEqual(690);
    expect(counts.get('happy')).toBeLessThanOrEqual(710);
    for (const path of ['out-of-stock', 'declined', 'unshippable']) expect(Math.abs((counts.get(path) ?? 0) - 100)).toBeLessThanOrEqual(10);
    // the first 20 orders are not all happy: failures are spread, not bunched at the end
    expect(new Set(Array.from({ length: 20 }, (_, i) => pathOf(mix, i))).size).toBeGreaterThan(1);
  });
});
