import { parsePrometheusText } from './prometheus-text';

describe('parsePrometheusText', () => {
  it('reads samples with and without labels, skipping comments and blank lines', () => {
    const text = [
      '# HELP shop_outbox_backlog Outbox messages not yet published',
      '# TYPE shop_outbox_backlog gauge',
      'shop_outbox_backlog 3',
      '',
      'shop_messages_handled_total{consumer="payment",type="payment.charge",outcome="handled"} 12',
      'shop_consumer_lag{group="order",topic="payment.events",partition="2"} 0 1764680000000',
    ].join('\n');
    expect(parsePrometheusText(text)).toEqual([
      { name: 'shop_outbox_backlog', labels: {}, value: 3 },
      {
        name: 'shop_messages_handled_total',
        labels: {
          consumer: 'payment',
          type: 'payment.charge',
          outcome: 'handled',
        },
        value: 12,
      },
      {
        name: 'shop_consumer_lag',
        labels: { group: 'order', topic: 'payment.events', partition: '2' },
        value: 0,
      },
    ]);
  });

  it('unescapes label values and reads NaN, ±Inf and exponents', () => {
    const [a, b, c, d, e] = parsePrometheusText(['x{path="/a\\"b\\\\c",note="line\\nbreak"} +Inf', 'y -Inf', 'z NaN', 'w{le="0.005",} 1.5e-3', 'v Nan'].join('\n'));
    expect(a).toEqual({
      name: 'x',
      labels: { path: '/a"b\\c', note: 'line\nbreak' },
      value: Infinity,
    });
    expect(b.value).toBe(-Infinity);
    expect(c.value).toBeNaN();
    expect(e.value).toBeNaN(); // as prom-client writes it (shop_outbox_backlog while the database is down)
    expect(d).toEqual({ name: 'w', labels: { le: '0.005' }, value: 0.0015 });
  });

  it('refuses a page that is not metrics, naming the line', () => {
    expect(() => parsePrometheusText('shop_outbox_backlog 3\n<html>oops</html>')).toThrow('line 2 is not a Prometheus sample: <html>oops</html>');
    expect(() => parsePrometheusText('x{a="1" 2')).toThrow('line 1');
    expect(() => parsePrometheusText('x{a=1} 2')).toThrow('line 1');
    expect(() => parsePrometheusText('x abc')).toThrow('line 1');
  });
});
