import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createTransport } from 'nodemailer';
import { infraContext, InfraError, localTls, progressLogger, start, status, stop, TLS_SERVERS, type InfraContext, type LocalTls } from '../../src';
import { API_VERSIONS_REQUEST, apiVersionsAnswered } from '../../src/lib/components/kafka-cluster';
import { portInUse, tcpExchange } from '../../src/lib/toolkit/ports';
import { processesNaming } from './support/processes';
import { probeController } from './support/controller-probe';
import { recordingContext } from './support/recording-context';

/**
 * Postgres, Kafka and Mailpit started for real by the library, in a temp run dir on free ports,
 * beside whatever else runs on this machine: ready, reported, serving TLS only, reused, stopped,
 * and nothing left.
 */
const repoRoot = resolve(__dirname, '../../../..');
const COMPONENTS = ['postgres', 'kafka', 'mailpit'] as const;

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<Server>((done) => { const s = createServer(); s.listen(0, '127.0.0.1', () => done(s)); })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
  return ports;
}

describe('libs/infra on private ports in a temp run dir', () => {
  let runDir: string;
  let env: Record<string, string>;
  const output: string[] = [];
  let ctx: InfraContext;
  let ports: number[];

  const context = () => recordingContext(env, output);

  beforeAll(async () => {
    runDir = mkdtempSync(join(tmpdir(), 'shop-infra-it-'));
    chmodSync(runDir, 0o755); // the postgres user (as root) must reach its data dir
    ports = await freePorts(5);
    const [pg, kafka, controller, smtp, http] = ports;
    // A smaller Kafka heap than the shared one's: this suite runs beside the other integration suites.
    env = { SHOP_RUN_DIR: runDir, PGPORT: `${pg}`, KAFKA_PORT: `${kafka}`, KAFKA_CONTROLLER_PORT: `${controller}`, SMTP_PORT: `${smtp}`, MAILPIT_HTTP_PORT: `${http}`, KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m' };
    ctx = await context();
  });

  afterAll(async () => {
    await stop(await context(), [...COMPONENTS]).catch(() => undefined);
    rmSync(runDir, { recursive: true, force: true });
  });

  it('starts them, each ready as infra.sh defines it, and reports them running', async () => {
    await start(ctx, [...COMPONENTS]);
    const text = output.join('');
    expect(text).toMatch(/\[infra\] +[0-9]+\.[0-9]s {2}postgres: ready\n/);
    expect(text).toMatch(/kafka: [0-9]+ topics, [0-9]+ ACLs for the principals/); // the topics and ACLs applied after the broker is up
    expect(text).toMatch(/start: postgres kafka mailpit ready in [0-9.]+s/);
    expect(readFileSync(`${runDir}/logs/kafka.log`, 'utf8')).toContain('Kafka Server started');
    expect(existsSync(`${runDir}/kafka/data/meta.properties`)).toBe(true);
    for (const c of COMPONENTS) expect(Number(readFileSync(`${runDir}/pids/${c}.pid`, 'utf8'))).toBeGreaterThan(1);

    const statuses = await status(await context(), [...COMPONENTS]);
    expect(statuses.map((s) => [s.name, s.state])).toEqual([
      ['postgres', 'running'],
      ['kafka', 'running'],
      ['mailpit', 'running'],
    ]);
    expect(statuses.find((s) => s.name === 'kafka')?.ports).toEqual([ports[1], ports[2]]);
  });

  /** psql as the superuser over TCP with these libpq SSL settings. */
  const psql = (sql: string, ssl: Record<string, string>) =>
    promisify(execFile)(`${ctx.layout.pgBin}/psql`, ['-X', '-h', '127.0.0.1', '-p', env['PGPORT'], '-U', 'postgres', '-d', 'shop_order', '-tAc', sql], { env: { ...process.env, ...ssl } });

  it('answers on its ports: the databases exist, Mailpit serves its API', async () => {
    const tls = localTls(ctx.env) as LocalTls;
    const { stdout } = await psql('SELECT current_database()', { PGSSLMODE: 'verify-full', PGSSLROOTCERT: tls.caFile });
    expect(stdout.trim()).toBe('shop_order');
    const messages = await fetch(`http://127.0.0.1:${env['MAILPIT_HTTP_PORT']}/api/v1/messages`);
    expect(messages.status).toBe(200);
  });

  it('serves TLS only, with certificates of the local CA made into the cache (keys 0600): plain text is refused', async () => {
    const tls = localTls(ctx.env) as LocalTls;
    expect(tls.caFile).toBe(join(ctx.layout.cacheDir, 'tls', 'ca.pem'));
    for (const server of TLS_SERVERS) expect([server, statSync(tls.server(server).keyFile).mode & 0o777]).toEqual([server, 0o600]);
    const ca = readFileSync(tls.caFile, 'utf8');

    // Postgres: the connection is encrypted (pg_stat_ssl) with the certificate verified; without TLS, refused.
    const { stdout } = await psql('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()', { PGSSLMODE: 'verify-full', PGSSLROOTCERT: tls.caFile });
    expect(stdout.trim()).toBe('t');
    await expect(psql('SELECT 1', { PGSSLMODE: 'disable' })).rejects.toMatchObject({ stderr: expect.stringMatching(/no pg_hba\.conf entry .*no encryption/) });

    // Kafka: its client listener answers ApiVersions over TLS (verified against the CA), not in plain text.
    expect(apiVersionsAnswered(await tcpExchange(Number(env['KAFKA_PORT']), API_VERSIONS_REQUEST, 10, 3000, { ca }))).toBe(true);
    expect(apiVersionsAnswered(await tcpExchange(Number(env['KAFKA_PORT']), API_VERSIONS_REQUEST, 10, 3000))).toBe(false);

    // Mailpit: a message goes through after STARTTLS (certificate verified); without it, refused.
    const smtp = (options: { requireTLS?: boolean; ignoreTLS?: boolean }) => createTransport({ host: '127.0.0.1', port: Number(env['SMTP_PORT']), secure: false, tls: { ca }, ...options });
    const mail = { from: 'probe@shop.test', to: 'someone@shop.test', subject: 'tls', text: 'over STARTTLS' };
    await expect(smtp({ requireTLS: true }).sendMail(mail)).resolves.toMatchObject({ accepted: ['someone@shop.test'] });
    await expect(smtp({ ignoreTLS: true }).sendMail(mail)).rejects.toMatchObject({ responseCode: 530 });
  });

  it("refuses an anonymous client on Kafka's controller port; the admin alone may read its ACLs there", async () => {
    // The probe an outsider would run (KIP-919: an Admin client bootstrapped to the controllers), with Kafka's own client.
    const caFile = localTls(ctx.env)?.caFile;
    const probe = (...credentials: [] | [string, string]) => probeController(ctx.layout.kafkaLibs, Number(env['KAFKA_CONTROLLER_PORT']), caFile, ...credentials);
    expect(await probe()).toMatch(/^refused /);
    expect(await probe('order', 'order-local')).toMatch(/^refused /); // a service's principal is no controller peer either
    expect(await probe('admin', process.env['KAFKA_ADMIN_PASSWORD'] ?? 'admin-local')).toMatch(/^acls [1-9][0-9]*$/);
  }, 300_000);

  it('reuses what runs on a second start, and the bash entry point sees the same servers', async () => {
    const again = await context();
    await start(again, [...COMPONENTS]);
    const text = output.join('');
    expect(text).toMatch(/postgres: already running \(pid [0-9]+\)/);
    expect(text).toMatch(/kafka: already running \(pid [0-9]+\)/);
    expect(text).toMatch(/mailpit: already running \(pid [0-9]+\)/);
    expect(text).not.toMatch(/: ready\n/);

    const cli = await promisify(execFile)('bash', [join(repoRoot, 'scripts/infra/infra.sh'), 'status', ...COMPONENTS], { env: { ...process.env, ...env } });
    expect(cli.stdout).toMatch(/^postgres +running +pid [0-9]+ +port [0-9]+ +postgres:\/\/postgres@127\.0\.0\.1:/m);
    expect(cli.stdout).toMatch(/^kafka +running /m);
    expect(cli.stdout).toMatch(/^mailpit +running /m);
  });

  it('fails clearly when a port is held by something that is not this set', async () => {
    const [port] = await freePorts(1);
    const holder = createServer();
    await new Promise<void>((done) => holder.listen(port, '127.0.0.1', done));
    try {
      const other = await infraContext({ env: { ...process.env, ...env, SHOP_RUN_DIR: join(runDir, 'other'), SMTP_PORT: `${port}`, MAILPIT_HTTP_PORT: `${port + 1}` }, log: progressLogger(Date.now(), () => undefined, () => undefined) });
      const failure = start(other, ['mailpit']);
      await expect(failure).rejects.toThrow(InfraError);
      await expect(failure).rejects.toThrow(new RegExp(`^mailpit: port ${port} is already in use by something that is not this infra set \\(${join(runDir, 'other')}\\): .*pid=${process.pid},`)); // the holder: this test process
    } finally {
      holder.close();
    }
  });

  it('stops them: the ports are free and no process of the run dir is left', async () => {
    await stop(await context(), [...COMPONENTS]);
    const text = output.join('');
    expect(text).toMatch(/mailpit: stopped in/);
    expect(text).toMatch(/kafka: stopped in/);
    expect(text).toMatch(/postgres: stopped in/);
    for (const port of ports) expect(await portInUse(port)).toBe(false);
    expect(processesNaming(runDir)).toEqual([]);
    const statuses = await status(await context(), [...COMPONENTS]);
    expect(statuses.every((s) => s.state === 'stopped')).toBe(true);
  });
});
