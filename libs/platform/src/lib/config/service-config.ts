import { z } from 'zod';
import { ProbeAddresses, probeAddressList } from '../health/probe-addresses';

/** Env values are strings: these helpers parse them strictly (no silent fallbacks). */
export const portSetting = (fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a TCP port number')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 65535, 'must be between 1 and 65535')
    .default(fallback);

export const booleanSetting = (fallback: boolean) =>
  z
    .enum(['true', 'false'], { error: 'must be "true" or "false"' })
    .transform((v) => v === 'true')
    .default(fallback);

export const positiveIntSetting = (fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a positive whole number')
    .transform(Number)
    .refine((n) => n > 0, 'must be greater than 0')
    .default(fallback);

export const nonNegativeIntSetting = (fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number (0 or more)')
    .transform(Number)
    .default(fallback);

export const fractionSetting = (fallback: number) =>
  z
    .string()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a number from 0 to 1')
    .transform(Number)
    .default(fallback);

export const postgresUrlSetting = z
  .string({ error: 'is required (postgres://user:password@host:port/database)' })
  .regex(/^postgres(ql)?:\/\/[^/]+\/[^/?]+/, 'must be a postgres:// URL with a database name');

export const kafkaBrokersSetting = z
  .string({ error: 'is required (comma-separated host:port list)' })
  .transform((v) => v.split(',').map((b) => b.trim()).filter(Boolean))
  .refine((list) => list.length > 0 && list.every((b) => /^[^:\s]+:\d{1,5}$/.test(b)), 'must be a comma-separated list of host:port');

export const urlSetting = (example: string) =>
  z.url({ protocol: /^https?$/, error: (issue) => (issue.input === undefined ? `is required (an http(s) URL such as ${example})` : `must be an http(s) URL such as ${example}`) });

/** Required text with no default (credentials: the error names the setting; load-config hides a secret's value). */
export const requiredSetting = (what: string) => z.string({ error: `is required (${what})` }).min(1, `must not be empty (${what})`);

/** IP addresses and CIDR blocks, comma-separated (empty: none), each checked at boot. */
export const probeAddressesSetting = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const entries = probeAddressList(value);
    try {
      new ProbeAddresses(entries);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
    return entries;
  });

/**
 * Kafka's own `security.protocol`, of the two with SASL: SASL_SSL (Docker Compose, the Helm chart,
 * `npm run shop` and the tests: the brokers' certificates are verified against Node's trusted CAs,
 * plus the private CA that NODE_EXTRA_CA_CERTS names, and their host names checked) or
 * SASL_PLAINTEXT (the default: a Kafka without TLS, such as the local one with SHOP_TLS=off).
 */
export const kafkaSecurityProtocolSetting = z
  .enum(['SASL_SSL', 'SASL_PLAINTEXT'], { error: 'must be "SASL_SSL" or "SASL_PLAINTEXT"' })
  .default('SASL_PLAINTEXT');

export const logLevelSetting = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/** Settings every service shares. A service extends this with its own. */
export function serviceConfigSchema(defaults: { port: number }) {
  return z.object({
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: portSetting(defaults.port),
    LOG_LEVEL: logLevelSetting,
    DATABASE_URL: postgresUrlSetting,
    DATABASE_MIGRATE_ON_BOOT: booleanSetting(true),
    KAFKA_BROKERS: kafkaBrokersSetting,
    /**
     * The service's own Kafka principal (SASL/SCRAM-SHA-512): the brokers refuse clients without
     * one, and its ACLs allow only this service's topics and group (libs/messaging kafka-access.ts).
     */
    KAFKA_SASL_USERNAME: requiredSetting("the service's Kafka SASL/SCRAM-SHA-512 user"),
    KAFKA_SASL_PASSWORD: requiredSetting('the password of KAFKA_SASL_USERNAME'),
    KAFKA_SECURITY_PROTOCOL: kafkaSecurityProtocolSetting,
    /**
     * How the outbox relay finds new rows: `notify` wakes on Postgres LISTEN/NOTIFY and polls every
     * OUTBOX_POLL_INTERVAL_MS as a fallback; `poll` only polls (what Debezium's and Eventuate's
     * pollers do; `npm run bench` measures it as the baseline with a 500 ms interval).
     */
    OUTBOX_RELAY_MODE: z.enum(['notify', 'poll'], { error: 'must be "notify" or "poll"' }).default('notify'),
    OUTBOX_POLL_INTERVAL_MS: positiveIntSetting(1000),
    /**
     * Outbox shards: the outbox is split by message key into this many shards, each published by
     * one replica at a time (a lease renewed every second, taken over 3 s after its holder stops
     * renewing it). 1 (the default): one publisher per service. Every replica must use the same number.
     */
    OUTBOX_RELAY_SHARDS: positiveIntSetting(1),
    /**
     * How long the inbox remembers a handled message id (default 192 = 8 days, longer than
     * Kafka's default topic retention of 7): a redelivery within it changes nothing.
     */
    INBOX_RETENTION_HOURS: positiveIntSetting(192),
    /**
     * How long a published outbox row is kept (default 24 hours) before the relay deletes it: rows
     * carry the messages' data (an OrderPlaced carries the customer's address and name), so they
     * are kept no longer than someone may want to look at what was sent.
     */
    OUTBOX_RETENTION_HOURS: positiveIntSetting(24),
    /**
     * Sign-in (OpenID Connect): the issuer whose RS256 access tokens the API accepts (their
     * `iss`), the audience they must carry, and where the issuer's signing keys are fetched
     * (default: Keycloak's JWKS path under the issuer; set it when the service reaches the
     * provider at another address than the tokens name, as in Docker Compose).
     */
    OIDC_ISSUER: urlSetting('http://127.0.0.1:8180/realms/shop'),
    OIDC_AUDIENCE: z.string().min(1).default('shop-api'),
    OIDC_JWKS_URI: urlSetting('http://keycloak:8080/realms/shop/protocol/openid-connect/certs').optional(),
    /**
     * The schema registry's Confluent-compatible API. When set, the service refuses to start unless
     * the schema of every message it sends is registered under its subject (`npm run
     * contracts:register`), and each message carries that subject version's URL as its CloudEvents
     * `dataschema`. Unset: no registry, no check, no `dataschema`.
     */
    SCHEMA_REGISTRY_URL: urlSetting('http://127.0.0.1:8081/apis/ccompat/v7').optional(),
    /**
     * /health/ready answers anyone with up or down only (200 `{"status":"ok"}` or 503
     * `{"status":"error"}`); which dependency is down, and why, goes to an admin's token or to a
     * caller from these addresses (the monitoring network: e.g. `10.0.0.0/8`; default none).
     */
    HEALTH_DETAILS_FROM: probeAddressesSetting,
    /**
     * The consumer's database breaker (and notification's SMTP breaker): while open it probes the
     * dependency, the first probe BREAKER_PROBE_BASE_MS after opening, each failed probe doubling
     * the wait up to BREAKER_PROBE_MAX_MS; a probe that answers lets one delivery try it, and
     * the breaker closes by itself BREAKER_TRIAL_WINDOW_MS later if none came.
     */
    BREAKER_PROBE_BASE_MS: positiveIntSetting(500),
    BREAKER_PROBE_MAX_MS: positiveIntSetting(5000),
    BREAKER_TRIAL_WINDOW_MS: positiveIntSetting(5000),
    /** The fault switch (see FaultSwitch): slow or flaky saga participants on purpose. */
    FAULT_DELAY_MS: nonNegativeIntSetting(0),
    FAULT_FAILURE_RATE: fractionSetting(0),
    FAULT_ADMIN_ENABLED: booleanSetting(false),
  });
}

export type ServiceConfig = z.infer<ReturnType<typeof serviceConfigSchema>>;

/**
 * Settings of a service without a database, whose state lives in Kafka (a stream processor such
 * as analytics): the shared ones but the database's, the outbox's, the inbox's, the schema
 * registry's and the fault switch's.
 */
export function streamServiceConfigSchema(defaults: { port: number }) {
  return serviceConfigSchema(defaults).pick({
    HOST: true,
    PORT: true,
    LOG_LEVEL: true,
    KAFKA_BROKERS: true,
    KAFKA_SASL_USERNAME: true,
    KAFKA_SASL_PASSWORD: true,
    KAFKA_SECURITY_PROTOCOL: true,
    OIDC_ISSUER: true,
    OIDC_AUDIENCE: true,
    OIDC_JWKS_URI: true,
    HEALTH_DETAILS_FROM: true,
  });
}

export type StreamServiceConfig = z.infer<ReturnType<typeof streamServiceConfigSchema>>;

/** The breaker settings (BREAKER_*) as DependencyBreaker takes them. */
export function breakerSettings(config: Pick<ServiceConfig, 'BREAKER_PROBE_BASE_MS' | 'BREAKER_PROBE_MAX_MS' | 'BREAKER_TRIAL_WINDOW_MS'>) {
  return { probeBaseMs: config.BREAKER_PROBE_BASE_MS, probeMaxMs: config.BREAKER_PROBE_MAX_MS, trialWindowMs: config.BREAKER_TRIAL_WINDOW_MS };
}
