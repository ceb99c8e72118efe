import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  ALL_MESSAGES,
  PaymentChargedV1,
  registeredSchemaText,
  SchemaRegistryClient,
  subjectOf,
  TOPOLOGY,
  type ServiceName,
} from '@shop/contracts';
import { startInfra, stopInfra } from '@shop/testing';

/**
 * `node dist/apps/<service>/main.js --register-schemas`, what the image runs (compose's
 * schema-init, the Helm chart's init containers), against a real, empty schema registry (Apicurio
 * Registry 3.3.3 through scripts/infra, on private ports 18787/18788), with SCHEMA_REGISTRY_URL as
 * the only setting.
 */
const root = resolve(__dirname, '../../..');
const SERVICES: ServiceName[] = [
  'order',
  'inventory',
  'payment',
  'shipping',
  'notification',
  'analytics',
];
/**
 * A real, empty registry for one describe block: each its own ports and run dir (a restarted
 * registry on the same port would meet this process's pooled keep-alive connections to the old one).
 */
function privateRegistry(port: number, managementPort: number) {
  const env = {
    SHOP_RUN_DIR: `/tmp/shop-deploy-checks-registry-${port}`,
    REGISTRY_PORT: String(port),
    REGISTRY_MANAGEMENT_PORT: String(managementPort),
  };
  const url = `http://127.0.0.1:${port}/apis/ccompat/v7`;
  return {
    url,
    client: new SchemaRegistryClient(url),
    start: async () => {
      await stopInfra(['registry'], env);
      rmSync(env.SHOP_RUN_DIR, { recursive: true, force: true });
      await startInfra(['registry'], env);
    },
    stop: () => stopInfra(['registry'], env),
  };
}

function register(service: ServiceName, registryUrl: string) {
  const r = spawnSync(
    process.execPath,
    [join(root, 'dist/apps', service, 'main.js'), '--register-schemas'],
    {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: process.env['PATH'], SCHEMA_REGISTRY_URL: registryUrl },
      timeout: 60_000,
    },
  );
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

beforeAll(() => {
  for (const s of SERVICES)
    if (!existsSync(join(root, 'dist/apps', s, 'main.js')))
      throw new Error(`dist/apps/${s}/main.js is missing: npx nx build ${s}`);
});

describe('--register-schemas against a real registry', () => {
  const { url, client, start, stop } = privateRegistry(18787, 18788);
  beforeAll(start, 240_000);
  afterAll(stop);

  it('each service registers the schemas it sends, each subject BACKWARD; together, every message version', async () => {
    for (const service of SERVICES) {
      const sends = TOPOLOGY[service].sends;
      const r = register(service, url);
      expect([service, r.status, r.stderr]).toEqual([service, 0, '']);
      const lines = r.stdout.trim().split('\n');
      if (sends.length === 0) {
        expect(lines).toEqual([
          `${service}: sends no message, no schema to register at ${url}`,
        ]);
        continue;
      }
      expect(lines.slice(0, -1)).toEqual(
        sends.map((m) =>
          expect.stringMatching(
            new RegExp(
              `^${service}: registered ${subjectOf(m).replace(/\./g, '\\.')} \\(id \\d+, version 1\\)$`,
            ),
          ),
        ),
      );
      expect(lines.at(-1)).toBe(
        `${service}: ${sends.length} schema(s) at ${url}: ${sends.length} registered, 0 unchanged, 0 refused`,
      );
    }
    expect((await client.subjects()).sort()).toEqual(
      ALL_MESSAGES.map(subjectOf).sort(),
    );
    for (const m of ALL_MESSAGES) {
      expect([
        subjectOf(m),
        await client.compatibilityOf(subjectOf(m)),
      ]).toEqual([subjectOf(m), 'BACKWARD']);
      expect(
        (await client.lookup(subjectOf(m), registeredSchemaText(m.schema)))
          ?.version,
      ).toBe(1);
    }
  }, 300_000); // six service binaries one after the other: each loads its bundle in about 10 s on a busy 2-core machine (measured: analytics 10.4 s, order 11.3 s at load 20)

  it('is idempotent: a second run finds every schema unchanged and exits 0', () => {
    const r = register('order', url);
    const sends = TOPOLOGY.order.sends.length;
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(
      `order: ${sends} schema(s) at ${url}: 0 registered, ${sends} unchanged, 0 refused`,
    );
    expect(r.stdout.match(/^order: unchanged /gm)).toHaveLength(sends);
  });

  it('exits 1 naming the registry when it cannot be reached', () => {
    const closed = 'http://127.0.0.1:9/apis/ccompat/v7'; // nothing listens on port 9
    const r = register('shipping', closed);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `shipping: registering its schemas at ${closed} failed: `,
    );
    expect(r.stderr).toContain(
      `${subjectOf(TOPOLOGY.shipping.sends[0])}'s compatibility`,
    );
  });
});

describe('--register-schemas when the registry holds an incompatible schema', () => {
  const { url, client, start, stop } = privateRegistry(18789, 18790);
  const subject = subjectOf(PaymentChargedV1);
  afterAll(stop);
  beforeAll(async () => {
    await start();
    // Someone registered payment.charged v1 with amountCents as a string: the build's integer is a breaking change.
    const edited = JSON.parse(JSON.stringify(PaymentChargedV1.schema)) as {
      properties: Record<string, unknown>;
    };
    edited.properties['amountCents'] = { type: 'string' };
    await client.setCompatibility(subject, 'BACKWARD');
    await client.register(
      subject,
      registeredSchemaText(edited as typeof PaymentChargedV1.schema),
    );
  }, 240_000);

  it("exits 1 naming the subject and the registry's own reason; the other subjects are registered", async () => {
    const sends = TOPOLOGY.payment.sends.length;
    const r = register('payment', url);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^payment: REFUSED ${subject.replace(/\./g, '\\.')}: .*amountCents`,
        'm',
      ),
    );
    expect(r.stderr).toContain(
      `payment: ${sends} schema(s) at ${url}: ${sends - 1} registered, 0 unchanged, 1 refused`,
    );
    expect(r.stdout).not.toContain(`registered ${subject} `);
    expect((await client.subjects()).sort()).toEqual(
      TOPOLOGY.payment.sends.map(subjectOf).sort(),
    );
    expect((await client.latest(subject))?.version).toBe(1);
  });
});
