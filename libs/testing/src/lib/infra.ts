import { endpoints, infraContext, start, stop, type ComponentName, type Endpoints } from '@shop/infra';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';

export const repoRoot = resolve(__dirname, '../../../..');

/**
 * The environment's endpoints with another port for one variable (a private Postgres, Kafka or
 * Keycloak), and any other settings of a private set (SHOP_TLS).
 */
const withPort = (variable: string, port: number | undefined, env: NodeJS.ProcessEnv = {}) =>
  endpoints({ ...process.env, ...env, ...(port === undefined ? {} : { [variable]: String(port) }) });

/** Where the shared local infrastructure listens: libs/infra's defaults, overridable by the same env vars. */
const shared = endpoints(process.env);
const pgPort = shared.postgres.port;
const kafkaPort = shared.kafka.nodes[0].port;
const keycloakPort = shared.keycloak.port;

/**
 * A SASL/SCRAM-SHA-512 user of the local Kafka (libs/infra creates them): `admin` (super user, for
 * tests and tools) or a service's own principal. The password comes from KAFKA_<USER>_PASSWORD,
 * default the local-only `<user>-local`.
 */
export function kafkaUser(user: string): { mechanism: 'scram-sha-512'; username: string; password: string } {
  return { mechanism: 'scram-sha-512', ...endpoints(process.env).kafka.credentials(user) };
}

/**
 * The local CA's certificate (PEM) that a set of these endpoints verifies its servers with, read
 * when asked (libs/infra makes it when it first starts a server); undefined with SHOP_TLS=off.
 */
export function localCa(local: Endpoints = shared): string | undefined {
  return local.tls && readFileSync(local.tls.caFile, 'utf8');
}

/** kafkajs's `ssl` for the local Kafka: its brokers verified against the local CA (false with SHOP_TLS=off). */
export function kafkaSsl(local: Endpoints = shared): { ca: string[] } | false {
  const ca = localCa(local);
  return ca === undefined ? false : { ca: [ca] };
}

/** libs/messaging's KafkaConnection `tls` for the local Kafka (undefined with SHOP_TLS=off). */
export function kafkaTls(local: Endpoints = shared): { ca: string } | undefined {
  const ca = localCa(local);
  return ca === undefined ? undefined : { ca };
}

/**
 * What a service started against the local infrastructure needs to reach Kafka: the bootstrap of
 * every node of `local` (one down, the others still answer), its own principal (its ACLs, not the
 * admin's), SASL_SSL and the local CA (unless SHOP_TLS=off).
 */
export function serviceKafkaEnv(service: string, local: Endpoints = shared): Record<string, string> {
  const { username, password } = local.kafka.credentials(service);
  const { KAFKA_SECURITY_PROTOCOL, NODE_EXTRA_CA_CERTS } = local.processEnv;
  return {
    KAFKA_BROKERS: local.kafka.brokers,
    KAFKA_SASL_USERNAME: username,
    KAFKA_SASL_PASSWORD: password,
    KAFKA_SECURITY_PROTOCOL,
    ...(NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS } : {}),
  };
}

export const infra = {
  pgPort,
  kafkaPort,
  kafkaBrokers: `127.0.0.1:${kafkaPort}`,
  /** The admin's credentials: what tests and tools connect to the local Kafka with. */
  kafkaSasl: kafkaUser('admin'),
  /** kafkajs's `ssl` beside them: the brokers verified against the local CA (read when asked: the CA exists once infra started). */
  get kafkaSsl() {
    return kafkaSsl();
  },
  /** libs/messaging's KafkaConnection `tls` beside them (read when asked). */
  get kafkaTls() {
    return kafkaTls();
  },
  /** Brokers, admin credentials and TLS together, for helpers that take a connection (libs/messaging's KafkaConnection). */
  get kafka() {
    return { brokers: [`127.0.0.1:${kafkaPort}`], sasl: kafkaUser('admin'), tls: kafkaTls() };
  },
  /** A service's Kafka settings: the local brokers, its own principal (its ACLs, not the admin's), TLS with the local CA. */
  kafkaEnv: (service: string, port?: number) => serviceKafkaEnv(service, withPort('KAFKA_PORT', port)),
  /**
   * As the superuser (trusted on 127.0.0.1, over TLS verified against the local CA): what tests and
   * tools read and set up databases with. `env`: a private set's other settings (SHOP_TLS).
   */
  databaseUrl: (database: string, port?: number, env?: NodeJS.ProcessEnv) => withPort('PGPORT', port, env).postgres.url(database),
  /**
   * As a service signs in: its own role `shop_<service>`, owner of `shop_<service>` only (libs/infra
   * creates them; POSTGRES_<SERVICE>_PASSWORD, default the local-only `<service>-local`), over TLS.
   */
  serviceDatabaseUrl: (service: string, port?: number, env?: NodeJS.ProcessEnv) => withPort('PGPORT', port, env).postgres.serviceUrl(service),
  /** How the local Mailpit takes mail: STARTTLS required (notification's SMTP_SECURITY), or none with SHOP_TLS=off. */
  smtpSecurity: shared.mailpit.smtpSecurity,
  keycloakPort,
  /** The local Keycloak's realm: what services get as OIDC_ISSUER. */
  oidcIssuer: (port?: number) => withPort('KEYCLOAK_PORT', port).keycloak.issuer,
};

export type InfraComponent = ComponentName;

/**
 * Starts (or reuses, when already running) the real local infrastructure, in-process through
 * libs/infra (what `scripts/infra/infra.sh start` runs), with the process's environment plus
 * `env`; its progress lines go to stderr. Tests never skip for a missing server: they start it.
 */
export async function startInfra(components: readonly InfraComponent[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  await start(await context(env), components);
}

export async function stopInfra(components: readonly InfraComponent[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  await stop(await context(env), components);
}

const context = (env: NodeJS.ProcessEnv) => infraContext({ env: { ...process.env, ...env }, cwd: repoRoot });

/**
 * Drops and recreates a database so a test starts from nothing; with `owner` (a role that exists),
 * owned by it and closed to every other role, as a service's database is. `env`: a private set's
 * other settings (SHOP_TLS).
 */
export async function recreateDatabase(name: string, port = infra.pgPort, owner?: string, env?: NodeJS.ProcessEnv): Promise<string> {
  for (const identifier of [name, owner ?? 'postgres']) if (!/^[a-z_][a-z0-9_]*$/.test(identifier)) throw new Error(`unsafe database or role name: ${identifier}`);
  const admin = new Client({ connectionString: infra.databaseUrl('postgres', port, env) });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(owner ? `CREATE DATABASE ${name} OWNER ${owner}` : `CREATE DATABASE ${name}`);
    if (owner) await admin.query(`REVOKE ALL ON DATABASE ${name} FROM PUBLIC`);
  } finally {
    await admin.end();
  }
  return infra.databaseUrl(name, port, env);
}

export async function queryDatabase<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}
