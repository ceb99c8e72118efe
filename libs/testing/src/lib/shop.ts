import { infra, queryDatabase, recreateDatabase, startInfra, startInfraInBackground, stopInfra, type InfraComponent } from './infra';
import { startServiceProcess, type ServiceProcess } from './service-process';
import { Tokens } from './tokens';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { repoRoot } from './infra';

/**
 * The whole shop for the end-to-end suites: its own Postgres, Kafka, Jaeger, Mailpit and Keycloak
 * (private ports and data dir, started fresh and stopped at the end) and the five built services
 * as real processes, which a test can kill and restart. `tokens` signs in the realm's users.
 */
export const SERVICES = ['order', 'inventory', 'payment', 'shipping', 'notification'] as const;
export type ServiceName = (typeof SERVICES)[number];

const INFRA: InfraComponent[] = ['postgres', 'kafka', 'jaeger', 'mailpit'];
const EMAIL_PAGE = 1000;

export interface Email {
  MessageID: string;
  Subject: string;
  To: Array<{ Address: string }>;
}

export interface ShopOptions {
  /** Ports: services at base+0..4, and a private set for the infrastructure. */
  servicePortBase: number;
  infraPorts: {
    PGPORT: number;
    KAFKA_PORT: number;
    KAFKA_CONTROLLER_PORT: number;
    JAEGER_OTLP_GRPC_PORT: number;
    JAEGER_OTLP_HTTP_PORT: number;
    JAEGER_QUERY_PORT: number;
    JAEGER_QUERY_GRPC_PORT: number;
    SMTP_PORT: number;
    MAILPIT_HTTP_PORT: number;
    KEYCLOAK_PORT: number;
    /**
     * With both: a private schema registry too, every message schema registered in it (`npm run
     * contracts:register`) before the services start, which get SCHEMA_REGISTRY_URL (so each checks
     * the schemas it sends at boot, and its messages carry ce_dataschema). Without: no registry.
     */
    REGISTRY_PORT?: number;
    REGISTRY_MANAGEMENT_PORT?: number;
  };
  /** Extra settings per service (timings, fault switch). */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Extra settings for every service. */
  commonEnv?: Record<string, string>;
  /** Extra settings for the infrastructure scripts (e.g. MAILPIT_ALLOWED_RECIPIENTS). */
  infraEnv?: Record<string, string>;
}

export class Shop {
  readonly runDir = mkdtempSync(join(tmpdir(), 'shop-e2e-saga-'));
  readonly processes = new Map<ServiceName, ServiceProcess>();
  readonly databases = {} as Record<ServiceName, string>;
  private readonly infraEnv: NodeJS.ProcessEnv;
  /** Settings added to every service by restartAll. */
  private extraEnv: Record<string, string> = {};
  /** Access tokens of the realm's users (alice, bob, carol; shop-admin has the admin role). */
  readonly tokens: Tokens;

  constructor(private readonly options: ShopOptions) {
    this.infraEnv = {
      ...Object.fromEntries(Object.entries(options.infraPorts).map(([k, v]) => [k, String(v)])),
      ...options.infraEnv,
      SHOP_RUN_DIR: join(this.runDir, 'infra'),
    };
    this.tokens = new Tokens(options.infraPorts.KEYCLOAK_PORT);
  }

  /** The private schema registry's Confluent-compatible API, when this shop has one. */
  get schemaRegistryUrl(): string | undefined {
    const port = this.options.infraPorts.REGISTRY_PORT;
    return port ? `http://127.0.0.1:${port}/apis/ccompat/v7` : undefined;
  }

  private get infraComponents(): InfraComponent[] {
    return this.schemaRegistryUrl ? [...INFRA, 'registry'] : INFRA;
  }

  url(service: ServiceName): string {
    return `http://127.0.0.1:${this.port(service)}`;
  }

  get mailpitUrl(): string {
    return `http://127.0.0.1:${this.options.infraPorts.MAILPIT_HTTP_PORT}`;
  }

  get jaegerUrl(): string {
    return `http://127.0.0.1:${this.options.infraPorts.JAEGER_QUERY_PORT}`;
  }

  get kafkaBrokers(): string {
    return `127.0.0.1:${this.options.infraPorts.KAFKA_PORT}`;
  }

  /** A service's Kafka settings: this shop's brokers and the service's own principal. */
  kafkaEnv(service: ServiceName): Record<string, string> {
    return infra.kafkaEnv(service, this.options.infraPorts.KAFKA_PORT);
  }

  /**
   * Starts the infrastructure and the five services; resolves once all are ready. If anything
   * fails to start, whatever did start is stopped again before the error is thrown: the caller
   * never had a shop to stop, and nothing of it keeps running (or holds its ports).
   */
  async start(): Promise<void> {
    // The services need Keycloak only when a request comes: its minute of start-up overlaps theirs.
    const keycloak = startInfraInBackground(['keycloak'], this.infraEnv);
    const started = (async () => {
      startInfra(this.infraComponents, this.infraEnv);
      this.registerSchemas();
      // Each service's own role (libs/infra made it) owns its database; tests read it as the superuser.
      for (const name of SERVICES) this.databases[name] = await recreateDatabase(`shop_${name}`, this.options.infraPorts.PGPORT, `shop_${name}`);
      for (const name of SERVICES) this.startService(name);
      await Promise.all(SERVICES.map((name) => this.processes.get(name)?.waitUntilReady(120_000)));
    })();
    // Both settle before any clean-up, so infra.sh is not still starting Keycloak while it runs.
    const failed = (await Promise.allSettled([keycloak, started])).find((r) => r.status === 'rejected');
    if (!failed) return;
    await this.stop().catch(() => undefined);
    throw failed.reason;
  }

  /** `npm run contracts:register` against this shop's registry, if it has one; throws with its output on a refusal. */
  private registerSchemas(): void {
    if (!this.schemaRegistryUrl) return;
    try {
      execFileSync(resolve(repoRoot, 'node_modules/.bin/tsx'), ['--tsconfig', 'tsconfig.base.json', 'libs/contracts/scripts/register-schemas.ts'], {
        cwd: repoRoot,
        env: { ...process.env, SCHEMA_REGISTRY_URL: this.schemaRegistryUrl },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`registering the message schemas in ${this.schemaRegistryUrl} failed:\n${stdout}${stderr}`);
    }
  }

  /** How the service signs in to its database: its own role (`databases` holds the superuser's URLs). */
  serviceDatabaseUrl(name: ServiceName): string {
    return infra.serviceDatabaseUrl(name, this.options.infraPorts.PGPORT);
  }

  startService(name: ServiceName): ServiceProcess {
    const p = this.options.infraPorts;
    const proc = startServiceProcess(name, {
      PORT: String(this.port(name)),
      DATABASE_URL: this.serviceDatabaseUrl(name),
      ...this.kafkaEnv(name),
      OIDC_ISSUER: infra.oidcIssuer(p.KEYCLOAK_PORT),
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${p.JAEGER_OTLP_HTTP_PORT}`,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(p.SMTP_PORT),
      FAULT_ADMIN_ENABLED: 'true',
      ...(this.schemaRegistryUrl ? { SCHEMA_REGISTRY_URL: this.schemaRegistryUrl } : {}),
      ...this.options.commonEnv,
      ...this.options.env?.[name],
      ...this.extraEnv,
    });
    this.processes.set(name, proc);
    return proc;
  }

  async restart(name: ServiceName): Promise<void> {
    this.startService(name);
    await this.processes.get(name)?.waitUntilReady(120_000);
  }

  /** Stops every service and starts them all again with `env` added (e.g. another relay mode); resolves once all are ready. */
  async restartAll(env: Record<string, string>): Promise<void> {
    await Promise.all([...this.processes.values()].map((p) => p.stop()));
    this.extraEnv = env;
    for (const name of SERVICES) this.startService(name);
    await Promise.all(SERVICES.map((name) => this.processes.get(name)?.waitUntilReady(120_000)));
  }

  /** The pid of a running infrastructure component (from its pid file), e.g. to read its CPU time. */
  infraPid(component: InfraComponent): number {
    return Number(readFileSync(join(String(this.infraEnv['SHOP_RUN_DIR']), 'pids', `${component}.pid`), 'utf8').trim());
  }

  /** Stops one infrastructure component (e.g. Jaeger, to show the shop does not need it; Kafka, for an outage). */
  stopComponent(component: InfraComponent): void {
    stopInfra([component], this.infraEnv);
  }

  /** Starts a stopped component again, with its data as it was; returns once it is healthy. */
  startComponent(component: InfraComponent): void {
    startInfra([component], this.infraEnv);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.processes.values()].map((p) => p.stop()));
    try {
      stopInfra([...this.infraComponents, 'keycloak'], this.infraEnv);
    } finally {
      rmSync(this.runDir, { recursive: true, force: true });
    }
  }

  query<T = Record<string, unknown>>(service: ServiceName, sql: string, params: unknown[] = []): Promise<T[]> {
    return queryDatabase<T>(this.databases[service], sql, params);
  }

  /** Every message the SMTP sink (Mailpit) has received, read page by page. */
  async emails(): Promise<Email[]> {
    const all: Email[] = [];
    for (;;) {
      const res = await fetch(`${this.mailpitUrl}/api/v1/messages?start=${all.length}&limit=${EMAIL_PAGE}`);
      const page = ((await res.json()) as { messages: Email[] }).messages;
      all.push(...page);
      if (page.length < EMAIL_PAGE) return all;
    }
  }

  /** Sets a participant's fault switch at run time (PUT /admin/faults, as the realm's admin). */
  async setFaults(service: ServiceName, settings: { delayMs?: number; failureRate?: number }): Promise<void> {
    const headers = { 'content-type': 'application/json', ...(await this.tokens.header('shop-admin')) };
    const res = await fetch(`${this.url(service)}/admin/faults`, { method: 'PUT', headers, body: JSON.stringify(settings) });
    if (res.status !== 200) throw new Error(`PUT /admin/faults on ${service}: ${res.status} ${await res.text()}`);
  }

  private port(name: ServiceName): number {
    return this.options.servicePortBase + SERVICES.indexOf(name);
  }
}
