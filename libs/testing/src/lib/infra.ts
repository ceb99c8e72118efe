import { execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Client } from 'pg';

export const repoRoot = resolve(__dirname, '../../../..');

/** Where the shared local infrastructure listens (scripts/infra defaults, overridable by the same env vars). */
const pgPort = Number(process.env['PGPORT'] ?? 5432);
const kafkaPort = Number(process.env['KAFKA_PORT'] ?? 9092);
const keycloakPort = Number(process.env['KEYCLOAK_PORT'] ?? 8180);

/**
 * A SASL/SCRAM-SHA-512 user of the local Kafka (libs/infra creates them, src/lib/settings.ts): `admin`
 * (super user, for tests and tools) or a service's own principal. The password comes from
 * KAFKA_<USER>_PASSWORD, default the local-only `<user>-local`.
 */
export function kafkaUser(user: string): { mechanism: 'scram-sha-512'; username: string; password: string } {
  return { mechanism: 'scram-sha-512', username: user, password: process.env[`KAFKA_${user.toUpperCase()}_PASSWORD`] ?? `${user}-local` };
}

export const infra = {
  pgPort,
  kafkaPort,
  kafkaBrokers: `127.0.0.1:${kafkaPort}`,
  /** The admin's credentials: what tests and tools connect to the local Kafka with. */
  kafkaSasl: kafkaUser('admin'),
  /** Brokers and admin credentials together, for helpers that take a connection. */
  kafka: { brokers: [`127.0.0.1:${kafkaPort}`], sasl: kafkaUser('admin') },
  /** A service's Kafka settings: the local brokers and its own principal (its ACLs, not the admin's). */
  kafkaEnv: (service: string, port = kafkaPort) => {
    const { username, password } = kafkaUser(service);
    return { KAFKA_BROKERS: `127.0.0.1:${port}`, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password };
  },
  /** As the superuser (trusted on 127.0.0.1): what tests and tools read and set up databases with. */
  databaseUrl: (database: string, port = pgPort) => `postgres://postgres@127.0.0.1:${port}/${database}`,
  /**
   * As a service signs in: its own role `shop_<service>`, owner of `shop_<service>` only (libs/infra
   * creates them; POSTGRES_<SERVICE>_PASSWORD, default the local-only `<service>-local`).
   */
  serviceDatabaseUrl: (service: string, port = pgPort) => {
    const password = process.env[`POSTGRES_${service.toUpperCase()}_PASSWORD`] ?? `${service}-local`;
    return `postgres://shop_${service}:${encodeURIComponent(password)}@127.0.0.1:${port}/shop_${service}`;
  },
  keycloakPort,
  /** The local Keycloak's realm: what services get as OIDC_ISSUER. */
  oidcIssuer: (port = keycloakPort) => `http://127.0.0.1:${port}/realms/shop`,
};

export type InfraComponent = 'kafka' | 'postgres' | 'jaeger' | 'mailpit' | 'keycloak' | 'registry';

/**
 * Starts (or reuses, when already running) the real local infrastructure through the
 * project's own script. Tests never skip for a missing server: they start it.
 */
export function startInfra(components: InfraComponent[], env: NodeJS.ProcessEnv = {}): void {
  runInfraScript(['start', ...components], env);
}

export function stopInfra(components: InfraComponent[], env: NodeJS.ProcessEnv = {}): void {
  runInfraScript(['stop', ...components], env);
}

/** startInfra without blocking: Keycloak takes about a minute, which other work can overlap. */
export function startInfraInBackground(components: InfraComponent[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn('bash', [resolve(repoRoot, 'scripts/infra/infra.sh'), 'start', ...components], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`infra.sh start ${components.join(' ')} exited with ${code}`))));
  });
}

function runInfraScript(args: string[], env: NodeJS.ProcessEnv): void {
  execFileSync('bash', [resolve(repoRoot, 'scripts/infra/infra.sh'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/**
 * Drops and recreates a database so a test starts from nothing; with `owner` (a role that exists),
 * owned by it and closed to every other role, as a service's database is.
 */
export async function recreateDatabase(name: string, port = infra.pgPort, owner?: string): Promise<string> {
  for (const identifier of [name, owner ?? 'postgres']) if (!/^[a-z_][a-z0-9_]*$/.test(identifier)) throw new Error(`unsafe database or role name: ${identifier}`);
  const admin = new Client({ connectionString: infra.databaseUrl('postgres', port) });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(owner ? `CREATE DATABASE ${name} OWNER ${owner}` : `CREATE DATABASE ${name}`);
    if (owner) await admin.query(`REVOKE ALL ON DATABASE ${name} FROM PUBLIC`);
  } finally {
    await admin.end();
  }
  return infra.databaseUrl(name, port);
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
