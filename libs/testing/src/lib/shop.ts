import { endpoints, pidAlive, type Endpoints } from '@shop/infra';
import { kafkaSsl, queryDatabase, recreateDatabase, serviceKafkaEnv, startInfra, stopInfra, type InfraComponent } from './infra';
import { startServiceProcess, waitFor, type ServiceProcess } from './service-process';
import { OPS_CLIENT, Tokens } from './tokens';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { repoRoot } from './infra';

/**
 * The whole shop for the end-to-end suites: its own Postgres, Kafka, Jaeger, Mailpit and Keycloak
 * (private ports and data dir, started fresh and stopped at the end) and the five built services
 * as real processes, which a test can kill and restart, and the analytics service (`analytics`,
 * no database). `tokens` signs in the realm's users. Every connection to Kafka, Postgres and SMTP
 * is TLS, verified against the local CA, unless `infraEnv` says SHOP_TLS=off (plain text, for
 * debugging and to show what TLS hides). `kafkaNodes` and `replicas` give it the shape of
 * `npm run shop -- --brokers 3 --replicas N`: a Kafka cluster and several processes per service.
 */
export const SERVICES = ['order', 'inventory', 'payment', 'shipping', 'notification'] as const;
export type ServiceName = (typeof SERVICES)[number];
/** Started with the five, on the port after theirs: a stream processor without a database (apps/analytics). */
export const ANALYTICS = 'analytics';

const INFRA: InfraComponent[] = ['postgres', 'kafka', 'jaeger', 'mailpit'];
const EMAIL_PAGE = 1000;
/** Processes per service at most, as `npm run shop -- --replicas N` allows (1 to 4). */
const MAX_REPLICAS = 4;
/** Replica r of a service listens on its port + REPLICA_PORT_STEP * (r - 1), as in `npm run shop` (order 3000, 3010, ...). */
const REPLICA_PORT_STEP = 10;

export interface Email {
  MessageID: string;
  Subject: string;
  To: Array<{ Address: string }>;
}

export interface ShopOptions {
  /**
   * Ports: services at base+0..4, analytics at base+5, and a private set for the infrastructure.
   * With `replicas`, replica r of each service at its port + 10(r-1) (base+10..14, base+20..24, ...).
   */
  servicePortBase: number;
  infraPorts: {
    PGPORT: number;
    /** The first Kafka node's; with `kafkaNodes: 3`, node i listens on KAFKA_PORT + 2(i-1) and KAFKA_CONTROLLER_PORT + 2(i-1) (libs/infra). */
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
  /** Extra settings for the infrastructure scripts (e.g. MAILPIT_ALLOWED_RECIPIENTS, SHOP_TLS); the services' client settings follow them. */
  infraEnv?: Record<string, string>;
  /**
   * Kafka as one node (default) or a cluster of three KRaft nodes (libs/infra's KAFKA_NODES, which
   * this sets whatever `infraEnv` says): every topic with 12 partitions, 3 copies, 2 in sync. Every
   * client (the services, `kafkaBrokers`) gets the bootstrap of every node.
   */
  kafkaNodes?: 1 | 3;
  /**
   * Processes per service, 1 (default) to 4: ids order, order-2, ...; each service's outbox split
   * into as many shards (OUTBOX_RELAY_SHARDS), as `npm run shop -- --replicas N` does. Analytics
   * stays one process (a second would fence the first: one transactional id).
   */
  replicas?: number;
}

export class Shop {
  readonly runDir = mkdtempSync(join(tmpdir(), 'shop-e2e-saga-'));
  /** Each service's first process (its only one unless `replicas`): what a test talks to by default. */
  readonly processes = new Map<ServiceName, ServiceProcess>();
  /** Each service's processes, replica 1 first (`replicasOf`). */
  private readonly replicaProcesses = new Map<ServiceName, ServiceProcess[]>();
  /** Processes per service (ShopOptions.replicas). */
  readonly replicas: number;
  /** The analytics process (once started). */
  analytics?: ServiceProcess;
  readonly databases = {} as Record<ServiceName, string>;
  private readonly infraEnv: NodeJS.ProcessEnv;
  /** Where this shop's infrastructure listens and how its clients connect (TLS, the CA). */
  readonly local: Endpoints;
  /** Settings added to every service by restartAll. */
  private extraEnv: Record<string, string> = {};
  /** Access tokens of the realm's customers (alice, bob, carol, ...) and of the ops client (OPS_CLIENT: the admin role). */
  readonly tokens: Tokens;

  constructor(private readonly options: ShopOptions) {
    this.replicas = options.replicas ?? 1;
    if (!Number.isInteger(this.replicas) || this.replicas < 1 || this.replicas > MAX_REPLICAS) {
      throw new Error(`Shop: replicas must be a whole number from 1 to ${MAX_REPLICAS}, got ${options.replicas}`);
    }
    this.infraEnv = {
      ...Object.fromEntries(Object.entries(options.infraPorts).map(([k, v]) => [k, String(v)])),
      ...options.infraEnv,
      // Said by the options, not by whoever runs the tests: their shell may have KAFKA_NODES set.
      KAFKA_NODES: String(options.kafkaNodes ?? 1),
      SHOP_RUN_DIR: join(this.runDir, 'infra'),
    };
    this.local = endpoints({ ...process.env, ...this.infraEnv });
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

  /** Where a service answers: its first process, or replica `replica` (1-based). */
  url(service: ServiceName, replica = 1): string {
    return `http://127.0.0.1:${this.port(service, replica)}`;
  }

  /** Where each process of a service answers, replica 1 first (one address unless `replicas`). */
  urls(service: ServiceName): string[] {
    return Array.from({ length: this.replicas }, (_, i) => this.url(service, i + 1));
  }

  /** Every process of a service, replica 1 first (one unless `replicas`). */
  replicasOf(service: ServiceName): readonly ServiceProcess[] {
    return [...(this.replicaProcesses.get(service) ?? [])];
  }

  get mailpitUrl(): string {
    return `http://127.0.0.1:${this.options.infraPorts.MAILPIT_HTTP_PORT}`;
  }

  get jaegerUrl(): string {
    return `http://127.0.0.1:${this.options.infraPorts.JAEGER_QUERY_PORT}`;
  }

  /** The bootstrap of every Kafka node, comma separated (`127.0.0.1:<KAFKA_PORT>` for the single node). */
  get kafkaBrokers(): string {
    return this.local.kafka.brokers;
  }

  /** A service's Kafka settings: every node of this shop's Kafka, the service's own principal, TLS with the local CA. */
  kafkaEnv(service: ServiceName): Record<string, string> {
    return serviceKafkaEnv(service, this.local);
  }

  /** kafkajs's `ssl` for a test's own client of this shop's Kafka (false with SHOP_TLS=off). */
  get kafkaSsl(): { ca: string[] } | false {
    return kafkaSsl(this.local);
  }

  /**
   * Starts the infrastructure and the five services; resolves once all are ready. If anything
   * fails to start, whatever did start is stopped again before the error is thrown: the caller
   * never had a shop to stop, and nothing of it keeps running (or holds its ports).
   */
  async start(): Promise<void> {
    // The services need Keycloak only when a request comes: its minute of start-up overlaps theirs.
    const keycloak = startInfra(['keycloak'], this.infraEnv);
    const started = (async () => {
      await startInfra(this.infraComponents, this.infraEnv);
      this.registerSchemas();
      // Each service's own role (libs/infra made it) owns its database; tests read it as the superuser.
      for (const name of SERVICES) this.databases[name] = await recreateDatabase(`shop_${name}`, this.options.infraPorts.PGPORT, `shop_${name}`, this.infraEnv);
      this.startAllServices();
      this.startAnalytics();
      await Promise.all([...this.serviceProcesses().map((p) => p.waitUntilReady(120_000)), this.analytics?.waitUntilReady(120_000)]);
    })();
    // Both settle before any clean-up, so Keycloak is not still being started while it runs.
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
    return this.local.postgres.serviceUrl(name);
  }

  /** Starts one process of a service: its first, or replica `replica` (1-based, up to `replicas`). */
  startService(name: ServiceName, replica = 1): ServiceProcess {
    if (!Number.isInteger(replica) || replica < 1 || replica > this.replicas) throw new Error(`${name} has replicas 1 to ${this.replicas} in this shop, not ${replica}`);
    const p = this.options.infraPorts;
    const id = replica === 1 ? name : `${name}-${replica}`;
    const proc = startServiceProcess(
      name,
      {
        PORT: String(this.port(name, replica)),
        DATABASE_URL: this.serviceDatabaseUrl(name),
        ...this.kafkaEnv(name),
        OIDC_ISSUER: this.local.keycloak.issuer,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${p.JAEGER_OTLP_HTTP_PORT}`,
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(p.SMTP_PORT),
        SMTP_SECURITY: this.local.mailpit.smtpSecurity,
        FAULT_ADMIN_ENABLED: 'true',
        ...(this.schemaRegistryUrl ? { SCHEMA_REGISTRY_URL: this.schemaRegistryUrl } : {}),
        // One outbox shard per replica: each replica publishes its share, and takes over a dead one's.
        ...(this.replicas > 1 ? { OUTBOX_RELAY_SHARDS: String(this.replicas) } : {}),
        ...this.options.commonEnv,
        ...this.options.env?.[name],
        ...this.extraEnv,
      },
      [],
      id,
    );
    const all = this.replicaProcesses.get(name) ?? [];
    all[replica - 1] = proc;
    this.replicaProcesses.set(name, all);
    if (replica === 1) this.processes.set(name, proc);
    return proc;
  }

  /** Every replica of every service, started (not awaited). */
  private startAllServices(): void {
    for (const name of SERVICES) for (let replica = 1; replica <= this.replicas; replica++) this.startService(name, replica);
  }

  /** Every process of the five services (all their replicas). */
  private serviceProcesses(): ServiceProcess[] {
    return [...this.replicaProcesses.values()].flat();
  }

  /** Starts the analytics service: this shop's Kafka as its own principal, no database. */
  startAnalytics(): ServiceProcess {
    const p = this.options.infraPorts;
    this.analytics = startServiceProcess(ANALYTICS, {
      PORT: String(this.options.servicePortBase + SERVICES.length),
      ...serviceKafkaEnv(ANALYTICS, this.local),
      OIDC_ISSUER: this.local.keycloak.issuer,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${p.JAEGER_OTLP_HTTP_PORT}`,
      ...this.options.commonEnv,
    });
    return this.analytics;
  }

  /** Starts a service's process again (after a test stopped or killed it): its first, or replica `replica`; resolves once it is ready. */
  async restart(name: ServiceName, replica = 1): Promise<void> {
    await this.startService(name, replica).waitUntilReady(120_000);
  }

  /** Stops every service and starts them all again with `env` added (e.g. another relay mode); resolves once all are ready. */
  async restartAll(env: Record<string, string>): Promise<void> {
    await Promise.all(this.serviceProcesses().map((p) => p.stop()));
    this.extraEnv = env;
    this.startAllServices();
    await Promise.all(this.serviceProcesses().map((p) => p.waitUntilReady(120_000)));
  }

  /** The pid of a running infrastructure component (from its pid file), e.g. to read its CPU time. */
  infraPid(component: InfraComponent): number {
    return this.pidFromFile(component);
  }

  /** The pid of Kafka node `node` (1-based; libs/infra's `kafka` for a single node, `kafka-<node>` in a cluster). */
  kafkaNodePid(node: number): number {
    return this.pidFromFile(this.kafkaNode(node).name);
  }

  /**
   * SIGKILLs Kafka node `node` (1-based), its whole process group, as a crash would end it; resolves
   * once it is gone. `startComponent('kafka')` starts it again: libs/infra's start launches the
   * nodes that are not running, waits until they are ready and applies the topics and ACLs again.
   */
  async killKafkaNode(node: number): Promise<void> {
    const { name } = this.kafkaNode(node);
    const pid = this.kafkaNodePid(node);
    process.kill(-pid, 'SIGKILL');
    await waitFor(`${name} (pid ${pid}) to end`, async () => !pidAlive(pid), 10_000, 50);
  }

  private kafkaNode(node: number): Endpoints['kafka']['nodes'][number] {
    const nodes = this.local.kafka.nodes;
    const found = nodes[node - 1];
    if (!found) throw new Error(`this shop's Kafka has nodes 1 to ${nodes.length}, not ${node}`);
    return found;
  }

  /** A pid file of libs/infra's in this shop's run dir (`<server>.pid`). */
  private pidFromFile(server: string): number {
    return Number(readFileSync(join(String(this.infraEnv['SHOP_RUN_DIR']), 'pids', `${server}.pid`), 'utf8').trim());
  }

  /** Stops one infrastructure component (e.g. Jaeger, to show the shop does not need it; Kafka, for an outage). */
  stopComponent(component: InfraComponent): Promise<void> {
    return stopInfra([component], this.infraEnv);
  }

  /** Starts a stopped component again, with its data as it was; returns once it is healthy. */
  startComponent(component: InfraComponent): Promise<void> {
    return startInfra([component], this.infraEnv);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.serviceProcesses(), ...(this.analytics ? [this.analytics] : [])].map((p) => p.stop()));
    try {
      await stopInfra([...this.infraComponents, 'keycloak'], this.infraEnv);
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

  /** Sets a participant's fault switch at run time, on each of its replicas (PUT /admin/faults, as the ops client: the admin role). */
  async setFaults(service: ServiceName, settings: { delayMs?: number; failureRate?: number }): Promise<void> {
    const headers = { 'content-type': 'application/json', ...(await this.tokens.header(OPS_CLIENT)) };
    for (let replica = 1; replica <= this.replicas; replica++) {
      const res = await fetch(`${this.url(service, replica)}/admin/faults`, { method: 'PUT', headers, body: JSON.stringify(settings) });
      if (res.status !== 200) throw new Error(`PUT /admin/faults on ${service}${this.replicas > 1 ? ` (replica ${replica})` : ''}: ${res.status} ${await res.text()}`);
    }
  }

  /**
   * Receives stock through inventory's admin API (POST /stock-receipts, as the realm's admin): one
   * call per SKU adds every unit and publishes the product's new state to the catalog. The receipt id
   * defaults to a fresh one; the same id again adds nothing. Returns the SKU's available units after it.
   */
  async receiveStock(sku: string, quantity: number, receiptId = `test-${randomUUID()}`): Promise<number> {
    const headers = { 'content-type': 'application/json', ...(await this.tokens.header(OPS_CLIENT)) };
    const res = await fetch(`${this.url('inventory')}/stock-receipts`, { method: 'POST', headers, body: JSON.stringify({ receiptId, sku, quantity }) });
    if (res.status !== 201) throw new Error(`POST /stock-receipts on inventory (${quantity} of ${sku}): ${res.status} ${await res.text()}`);
    return ((await res.json()) as { availableAfter: number }).availableAfter;
  }

  private port(name: ServiceName, replica = 1): number {
    return this.options.servicePortBase + SERVICES.indexOf(name) + REPLICA_PORT_STEP * (replica - 1);
  }
}
