import { httpGet, infra, recreateDatabase, startInfra, startServiceProcess, waitFor, type ServiceProcess } from '@shop/testing';
import { publishCatalog } from './support/catalog';

const JAEGER = `http://127.0.0.1:${process.env['JAEGER_QUERY_PORT'] ?? 16686}`;
const OTLP = `http://127.0.0.1:${process.env['JAEGER_OTLP_HTTP_PORT'] ?? 4318}`;

interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  tags: Array<{ key: string; value: unknown }>;
}

/** The service exports its spans to the real Jaeger, and its log lines carry the trace id. */
describe('order: tracing into Jaeger', () => {
  let proc: ServiceProcess;

  beforeAll(async () => {
    await startInfra(['jaeger']);
    const databaseUrl = await recreateDatabase('test_order_tracing');
    await publishCatalog(infra.kafkaBrokers);
    proc = startServiceProcess('order', {
      PORT: '3120',
      DATABASE_URL: databaseUrl,
      ...infra.kafkaEnv('order'),
      OIDC_ISSUER: infra.oidcIssuer(),
      OTEL_EXPORTER_OTLP_ENDPOINT: OTLP,
      OTEL_BSP_SCHEDULE_DELAY: '200',
    });
    await proc.waitUntilReady();
  });

  afterAll(async () => {
    await proc?.stop();
  });

  it('exports a server span per request under service "order", and the request log line carries its trace id', async () => {
    const path = `/traced-${Date.now()}`;
    expect((await httpGet(`${proc.url}${path}`)).status).toBe(404);

    let span: JaegerSpan | undefined;
    await waitFor(
      `a span for GET ${path} in Jaeger`,
      async () => {
        const res = await httpGet(`${JAEGER}/api/traces?service=order&limit=50&lookback=1h`);
        const traces = (res.body as { data?: Array<{ spans: JaegerSpan[] }> }).data ?? [];
        span = traces
          .flatMap((t) => t.spans)
          .find((s) => s.tags.some((tag) => tag.key === 'http.target' || tag.key === 'url.path' ? String(tag.value) === path : false));
        return span !== undefined;
      },
      20_000,
      500,
    );
    expect(span?.operationName).toMatch(/^GET/);

    const logLine = proc
      .stdout()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((entry) => JSON.stringify(entry).includes(path) && entry['trace_id'] !== undefined);
    expect(logLine?.['trace_id']).toBe(span?.traceID);
  });

  it('does not trace health probes', async () => {
    await httpGet(`${proc.url}/health/ready`);
    // A traced request after the probe: once its span is in Jaeger, any span of the probe (ended
    // earlier, exported by the same batch processor in order) would be there too.
    const marker = `/after-probe-${Date.now()}`;
    await httpGet(`${proc.url}${marker}`);
    let spans: JaegerSpan[] = [];
    await waitFor(
      `the span of GET ${marker} in Jaeger`,
      async () => {
        const res = await httpGet(`${JAEGER}/api/traces?service=order&limit=200&lookback=1h`);
        spans = ((res.body as { data?: Array<{ spans: JaegerSpan[] }> }).data ?? []).flatMap((t) => t.spans);
        return spans.some((s) => s.tags.some((tag) => String(tag.value) === marker));
      },
      20_000,
      250,
    );
    expect(spans.filter((s) => s.tags.some((tag) => String(tag.value).startsWith('/health')))).toEqual([]);
  });
});
