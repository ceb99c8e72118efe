import { MIN_BAR_PERCENT, waterfall, type TraceSpan } from './order-trace';

const span = (id: string, service: string, startMs: number, durationMs: number, extra: Partial<TraceSpan> = {}): TraceSpan => ({
  id,
  parentId: null,
  service,
  operation: `${service} ${id}`,
  startMs,
  durationMs,
  error: false,
  errorMessage: null,
  ...extra,
});

/** The layout as [service, [[span id, left %, width %] per bar] per row] per lane, for readable expectations. */
const shape = (spans: TraceSpan[]) => waterfall(spans).lanes.map((l) => [l.service, l.rows.map((r) => r.map((b) => [b.span.id, b.leftPercent, b.widthPercent]))]);

describe('waterfall', () => {
  it('one lane per service, in the order each first appears; bars placed by start and duration on one axis', () => {
    const spans = [span('c', 'payment', 50, 10), span('a', 'order', 0, 20), span('b', 'inventory', 20, 30), span('d', 'order', 60, 40)];
    expect(waterfall(spans).totalMs).toBe(100);
    expect(shape(spans)).toEqual([
      [
        'order',
        [
          [
            ['a', 0, 20],
            ['d', 60, 40],
          ],
        ],
      ],
      ['inventory', [[['b', 20, 30]]]],
      ['payment', [[['c', 50, 10]]]],
    ]);
  });

  it('the axis starts at the first span, not at zero: offsets are relative to it', () => {
    expect(shape([span('a', 'order', 1000, 50), span('b', 'order', 1050, 150)])).toEqual([
      [
        'order',
        [
          [
            ['a', 0, 25],
            ['b', 25, 75],
          ],
        ],
      ],
    ]);
  });

  it('overlapping spans of one service go to separate rows; a later span reuses the first row that is free', () => {
    expect(
      shape([
        span('root', 'order', 0, 100), // the HTTP request, open the whole time
        span('insert', 'order', 10, 20), // inside it: a second row
        span('publish', 'order', 40, 10), // row 2 is free again after 30
        span('late', 'order', 150, 50), // after the root: row 1
      ]),
    ).toEqual([
      [
        'order',
        [
          [
            ['root', 0, 50],
            ['late', 75, 25],
          ],
          [
            ['insert', 5, 10],
            ['publish', 20, 5],
          ],
        ],
      ],
    ]);
  });

  it('of spans starting at the same moment, the longer comes first: the request, then its middleware inside it', () => {
    expect(shape([span('middleware', 'order', 0, 1), span('request', 'order', 0, 10)])).toEqual([['order', [[['request', 0, 100]], [['middleware', 0, 10]]]]]);
  });

  it('a span too short to see is widened to the minimum, and kept inside the track at the very end', () => {
    const layout = waterfall([span('long', 'order', 0, 10_000), span('blip', 'notification', 5_000, 0.01), span('last', 'notification', 10_000, 0)]);
    const bars = layout.lanes[1].rows.flat();
    expect(bars[0]).toMatchObject({ leftPercent: 50, widthPercent: MIN_BAR_PERCENT });
    expect(bars[1]).toMatchObject({ leftPercent: 100 - MIN_BAR_PERCENT, widthPercent: MIN_BAR_PERCENT });
  });

  it('a trace of one instant, and no trace at all, still lay out', () => {
    expect(shape([span('a', 'order', 7, 0)])).toEqual([['order', [[['a', 0, MIN_BAR_PERCENT]]]]]);
    expect(waterfall([])).toEqual({ totalMs: 0, lanes: [] });
  });

  it('keeps each span whole (error flag and message) on its bar', () => {
    const failed = span('x', 'payment', 0, 5, { error: true, errorMessage: 'card declined' });
    expect(waterfall([failed]).lanes[0].rows[0][0].span).toBe(failed);
  });
});
