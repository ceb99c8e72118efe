import { infra, queryDatabase, recreateDatabase } from './infra';
import { httpGet, startServiceProcess, type ServiceProcess } from './service-process';

/**
 * The foundation checks every service must pass, run against its built artifact as a real
 * process, with the real Postgres and Kafka: it boots, migrates, reports ready, exposes
 * metrics, logs JSON, stops on SIGTERM; and it refuses to start on bad configuration.
 */
export interface ServiceBootOptions {
  port: number;
  /** Tables the service's own migrations create (checked beside the messaging tables). */
  tables?: string[];
  /** Prepares the fresh database before the service starts (what the service needs to be ready). */
  beforeBoot?: (databaseUrl: string) => Promise<void>;
  /** Extra checks of the service's own database once it has booted (its migrations, seeds). */
  afterBoot?: (databaseUrl: string) => Promise<void>;
  /** False for a service that sends no message (notification): it has no schema to check at boot. */
  sendsMessages?: boolean;
}

export function describeServiceBoot(service: string, options: ServiceBootOptions): void {
  const env = (databaseUrl: string) => ({
    PORT: String(options.port),
    DATABASE_URL: databaseUrl,
    ...infra.kafkaEnv(service),
    OIDC_ISSUER: infra.oidcIssuer(),
    LOG_LEVEL: 'info',
    // The test reads /health/ready's details from 127.0.0.1, as a monitoring network would.
    HEALTH_DETAILS_FROM: '127.0.0.1',
  });

  describe(`${service}: boots against the real Postgres and Kafka`, () => {
    let proc: ServiceProcess;
    let databaseUrl: string;

    beforeAll(async () => {
      databaseUrl = await recreateDatabase(`test_${service}_boot`);
      await options.beforeBoot?.(databaseUrl);
      proc = startServiceProcess(service, env(databaseUrl));
      await proc.waitUntilReady();
    });

    afterAll(async () => {
      await proc?.stop('SIGKILL');
    });

    it('reports ready with both dependencies up and its consumer subscribed', async () => {
      const ready = await httpGet(`${proc.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({
        status: 'ok',
        info: {
          postgres: { status: 'up' },
          kafka: { status: 'up', brokers: 1 },
          messaging: { status: 'up', group: service, handles: expect.arrayContaining([expect.stringMatching(/^[a-z][a-z.-]*@\d+$/)]) },
        },
      });
      const live = await httpGet(`${proc.url}/health/live`);
      expect(live).toMatchObject({ status: 200, body: { status: 'ok' } });
    });

    it(`ran its migrations at boot${options.tables ? ` (${options.tables.join(', ')})` : ''}`, async () => {
      const applied = await queryDatabase<{ name: string }>(databaseUrl, 'SELECT name FROM migrations ORDER BY id');
      expect(applied.map((m) => m.name)).toContain('CreateMessagingTables1764000000000');
      const tables = await queryDatabase<{ table_name: string }>(
        databaseUrl,
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
      );
      expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['inbox_message', 'outbox_message', ...(options.tables ?? [])]));
    });

    if (options.afterBoot) {
      const afterBoot = options.afterBoot;
      it(`passes ${service}'s own checks of its database`, () => afterBoot(databaseUrl));
    }

    it('serves Prometheus metrics labelled with the service name', async () => {
      const metrics = await httpGet(`${proc.url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(metrics.text).toMatch(new RegExp(`^process_cpu_user_seconds_total\\{service="${service}"\\} \\d`, 'm'));
      // the messaging runtime (outbox relay) registered on the same registry
      expect(metrics.text).toMatch(new RegExp(`^shop_outbox_backlog\\{service="${service}"\\} 0$`, 'm'));
    });

    it('answers errors as application/problem+json', async () => {
      const res = await httpGet(`${proc.url}/no-such-route`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 404, code: 'REQUEST.NOT_FOUND', instance: '/no-such-route' });
    });

    it('writes structured JSON logs', () => {
      const lines = proc.stdout().trim().split('\n');
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        const entry = JSON.parse(line) as Record<string, unknown>;
        expect(entry).toMatchObject({ service, level: expect.any(String), msg: expect.any(String) });
      }
      expect(lines.some((l) => l.includes(`listening on http://127.0.0.1:${options.port}`))).toBe(true);
    });

    it('stops cleanly on SIGTERM: shutdown hooks run, exit status 0', async () => {
      expect(await proc.stop('SIGTERM')).toBe(0);
      expect(proc.stdout()).toMatch(/"msg":"stopped \(SIGTERM\)"/);
    });
  });

  describe(`${service}: --migrate-only (the Helm chart's migrations Job)`, () => {
    it('migrates an empty database and exits 0 without serving; a second run finds nothing to do', async () => {
      const url = await recreateDatabase(`test_${service}_migrate_only`);
      const first = startServiceProcess(service, env(url), ['--migrate-only']);
      expect(await first.exited).toBe(0);
      expect(first.stdout()).toMatch(new RegExp(`^${service}: \\d+ migration\\(s\\) applied: CreateMessagingTables`, 'm'));
      expect(first.stdout()).not.toContain('listening on');
      const tables = await queryDatabase<{ table_name: string }>(url, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
      expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['outbox_message', 'inbox_message', ...(options.tables ?? [])]));
      const second = startServiceProcess(service, env(url), ['--migrate-only']);
      expect(await second.exited).toBe(0);
      expect(second.stdout()).toContain(`${service}: 0 migration(s) applied (up to date)`);
    });
  });

  if (options.sendsMessages !== false) {
    describe(`${service}: with a schema registry (SCHEMA_REGISTRY_URL)`, () => {
      it('refuses to start, naming a subject it sends, when the registry cannot confirm its schemas', async () => {
        const registry = 'http://127.0.0.1:9/apis/ccompat/v7'; // nothing listens on port 9 here
        const proc = startServiceProcess(service, { ...env(await recreateDatabase(`test_${service}_registry`)), SCHEMA_REGISTRY_URL: registry });
        let timer: NodeJS.Timeout | undefined;
        const code = await Promise.race([proc.exited, new Promise((r) => (timer = setTimeout(() => r('still running'), 60_000)))]);
        clearTimeout(timer);
        await proc.stop('SIGKILL');
        expect(code).toBe(1);
        expect(proc.stderr()).toMatch(new RegExp(`^${service}: failed to start: Error: look up [a-z]+\\.[a-z-]+\\.v\\d+: cannot reach the schema registry at ${registry.replace(/[./]/g, '\\$&')}`, 'm'));
        expect(proc.stdout()).not.toContain('listening on');
      });
    });
  }

  describe(`${service}: bad configuration fails fast`, () => {
    it('--check-config validates a complete environment and exits 0 without starting', async () => {
      const proc = startServiceProcess(service, env(infra.databaseUrl('unused')), ['--check-config']);
      expect(await proc.exited).toBe(0);
      expect(proc.stdout()).toBe(`${service}: configuration OK\n`);
    });

    it('exits with status 1 naming every missing or malformed setting, before listening', async () => {
      const started = Date.now();
      const proc = startServiceProcess(service, {
        PORT: 'not-a-port',
        DATABASE_URL: 'mysql://root:secret@127.0.0.1/shop',
        // KAFKA_BROKERS and KAFKA_SASL_USERNAME deliberately missing
        KAFKA_SASL_PASSWORD: '',
        OIDC_ISSUER: 'keycloak:8080/realms/shop',
      });
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([proc.exited, new Promise((r) => (timer = setTimeout(() => r('still running'), 15_000)))]);
      clearTimeout(timer);
      await proc.stop('SIGKILL');
      expect(code).toBe(1);
      expect(Date.now() - started).toBeLessThan(15_000);
      const stderr = proc.stderr();
      expect(stderr).toContain(`${service}: invalid configuration`);
      expect(stderr).toMatch(/PORT: must be a TCP port number \(got "not-a-port"\)/);
      expect(stderr).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
      expect(stderr).toMatch(/KAFKA_BROKERS: is required .*\(not set\)/);
      expect(stderr).toMatch(/KAFKA_SASL_USERNAME: is required .*\(not set\)/);
      expect(stderr).toMatch(/KAFKA_SASL_PASSWORD: must not be empty .*\(value hidden\)/);
      expect(stderr).toMatch(/OIDC_ISSUER: must be an http\(s\) URL/);
      expect(stderr).not.toContain('secret');
      expect(proc.stdout()).not.toContain('listening on');
    });
  });
}
