import { COMPONENTS } from './components';
import { bootstrap, nodesOf } from './components/kafka';
import { issuer } from './components/keycloak';
import { api } from './components/registry';
import { kafkaPassword, port, postgresPassword } from './settings';
import { clientSecurityEnv, localTls } from './tls';
import { InfraError } from './toolkit/log';
import type { Env } from './toolkit/process';

/**
 * Where a client reaches the local infrastructure an environment describes, and as whom: the same
 * settings the components start with (the port variables and defaults of the component table,
 * Kafka's nodes, the local-only passwords). What `npm run shop` hands its services and what
 * libs/testing connects with. Like the rest of libs/infra it reads only the environment given.
 */
export interface Endpoints {
  /**
   * The local CA that signed Kafka's, Postgres's and Mailpit's certificates (tls.ts): what every
   * client verifies them with. Undefined with SHOP_TLS=off (plain text, for debugging only).
   */
  tls?: { caFile: string };
  /**
   * What a Node process that uses the local infrastructure gets in its environment besides its
   * addresses and credentials: KAFKA_SECURITY_PROTOCOL, SMTP_SECURITY and NODE_EXTRA_CA_CERTS (the
   * local CA, which Node then trusts besides its own), the services' and the console's settings.
   */
  processEnv: Record<string, string>;
  postgres: {
    port: number;
    /**
     * As the superuser (trusted on 127.0.0.1, over TLS): how tests and tools read and set up
     * databases. With TLS, `sslmode=verify-full&sslrootcert=<the CA>` (node-postgres and libpq read both).
     */
    url(database: string): string;
    /** As a service signs in: its own role `shop_<service>`, owner of `shop_<service>` only (TLS as url's). */
    serviceUrl(service: string): string;
  };
  kafka: {
    /** Each node's broker and controller port (KAFKA_NODES of them, node i on KAFKA_PORT + 2(i-1)). */
    nodes: { name: string; port: number; controllerPort: number }[];
    /** Every node's address, comma separated: what clients get as KAFKA_BROKERS. */
    brokers: string;
    /** Every listener's: SASL_SSL, or SASL_PLAINTEXT with SHOP_TLS=off. */
    securityProtocol: 'SASL_SSL' | 'SASL_PLAINTEXT';
    /** A SASL/SCRAM-SHA-512 user's credentials: `admin` or a service's (or the console's) own principal. */
    credentials(user: string): { username: string; password: string };
  };
  jaeger: { queryUrl: string; otlpHttpUrl: string };
  /** SMTP with STARTTLS required (notification's SMTP_SECURITY=starttls), or none with SHOP_TLS=off. */
  mailpit: { smtpPort: number; smtpSecurity: 'starttls' | 'none'; url: string };
  keycloak: { port: number; url: string; issuer: string };
  /** The schema registry's Confluent-compatible API (SCHEMA_REGISTRY_URL). */
  registry: { apiUrl: string };
}

/** A listening port of the component table, by its variable (`PGPORT`), with this environment. */
export function portOf(env: Env, variable: string): number {
  const setting = COMPONENTS.flatMap((c) => c.ports).find((p) => p.env === variable);
  if (!setting) throw new InfraError(`${variable} is not a port variable of the local infrastructure`);
  const value = port(env, setting.env, setting.default);
  if (value === undefined) throw new InfraError(`${variable} has no default: set it`);
  return value;
}

export function endpoints(env: Env): Endpoints {
  const local = (p: number) => `http://127.0.0.1:${p}`;
  const pg = portOf(env, 'PGPORT');
  const nodes = nodesOf(env).map(({ name, port, controllerPort }) => ({ name, port, controllerPort }));
  const keycloak = portOf(env, 'KEYCLOAK_PORT');
  const tls = localTls(env);
  // A path as a query value: readable, with only what a URL cannot hold encoded.
  const sslQuery = tls ? `?sslmode=verify-full&sslrootcert=${encodeURIComponent(tls.caFile).replaceAll('%2F', '/')}` : '';
  const securityProtocol = tls ? 'SASL_SSL' : 'SASL_PLAINTEXT';
  const smtpSecurity = tls ? 'starttls' : 'none';
  return {
    tls: tls && { caFile: tls.caFile },
    processEnv: clientSecurityEnv(env),
    postgres: {
      port: pg,
      url: (database) => `postgres://postgres@127.0.0.1:${pg}/${database}${sslQuery}`,
      serviceUrl: (service) => `postgres://shop_${service}:${encodeURIComponent(postgresPassword(env, service))}@127.0.0.1:${pg}/shop_${service}${sslQuery}`,
    },
    kafka: { nodes, brokers: bootstrap(nodes), securityProtocol, credentials: (user) => ({ username: user, password: kafkaPassword(env, user) }) },
    jaeger: { queryUrl: local(portOf(env, 'JAEGER_QUERY_PORT')), otlpHttpUrl: local(portOf(env, 'JAEGER_OTLP_HTTP_PORT')) },
    mailpit: { smtpPort: portOf(env, 'SMTP_PORT'), smtpSecurity, url: local(portOf(env, 'MAILPIT_HTTP_PORT')) },
    keycloak: { port: keycloak, url: local(keycloak), issuer: issuer({ env }) },
    registry: { apiUrl: api({ env }) },
  };
}
