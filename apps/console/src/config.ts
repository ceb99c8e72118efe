import { join } from 'node:path';
import { z } from 'zod';

const port = (fallback: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a TCP port number')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 65535, 'must be between 1 and 65535')
    .default(fallback);

const httpUrl = (fallback: string) =>
  z
    .url({ protocol: /^https?$/, error: `must be an http(s) URL such as ${fallback}` })
    .default(fallback)
    .transform((u) => u.replace(/\/+$/, ''));

/** Everything the console reads from its environment, validated at boot. */
export const configSchema = z
  .object({
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: port(3100),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** The order service's REST API, which the console reads orders from. */
    ORDER_API_URL: httpUrl('http://127.0.0.1:3000'),
    /** The shop realm of the identity provider (Keycloak locally). */
    OIDC_ISSUER: httpUrl('http://127.0.0.1:8180/realms/shop'),
    /**
     * The same realm as the console's backend reaches it, for the token endpoint and the readiness
     * probe (default: OIDC_ISSUER). Browsers are sent to OIDC_ISSUER; in compose the console reaches
     * Keycloak at http://keycloak:8080/realms/shop instead, as the services fetch its keys (OIDC_JWKS_URI).
     */
    // No default of its own (httpUrl's would win over `.optional()` and hide OIDC_ISSUER): the transform below falls back to OIDC_ISSUER.
    OIDC_BACKCHANNEL_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://keycloak:8080/realms/shop' })
      .transform((u) => u.replace(/\/+$/, ''))
      .optional(),
    /** The identity provider's client the console signs people in through (authorization code with PKCE). */
    CONSOLE_OIDC_CLIENT_ID: z.string().min(1).default('shop-console'),
    /**
     * Where browsers reach the console (default: http://HOST:PORT). Keycloak sends them back to
     * <this>/auth/callback, which the client must allow (shop-console allows 127.0.0.1 at any port).
     */
    CONSOLE_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:3100' }).optional(),
    /** The built web application (apps/console-web), served as static files. */
    CONSOLE_WEB_DIR: z.string().min(1).default(join(__dirname, '../console-web')),
    /** Jaeger's query API, which an order's trace is read from (and the Health view checks). */
    JAEGER_QUERY_URL: httpUrl('http://127.0.0.1:16686'),
    /** Mailpit's API (the SMTP sink), which an order's emails are read from (and the Health view checks). */
    MAILPIT_URL: httpUrl('http://127.0.0.1:8025'),
    /** The schema registry's Confluent-compatible API (e.g. http://127.0.0.1:8081/apis/ccompat/v7): a message type's schemas. Unset: not shown. */
    SCHEMA_REGISTRY_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:8081/apis/ccompat/v7' }).optional(),
    /** The other services, whose /metrics (Messaging), /health (Health) and /admin/faults (slow test orders) the console reads, and inventory's admin API (Inventory); order's is ORDER_API_URL. */
    INVENTORY_URL: httpUrl('http://127.0.0.1:3001'),
    PAYMENT_URL: httpUrl('http://127.0.0.1:3002'),
    SHIPPING_URL: httpUrl('http://127.0.0.1:3003'),
    NOTIFICATION_URL: httpUrl('http://127.0.0.1:3004'),
    /** The analytics service (apps/analytics), whose revenue and orders per minute the Analytics view charts; optional: the view says when it does not answer. */
    ANALYTICS_URL: httpUrl('http://127.0.0.1:3005'),
    /** Kafka, for the dead letters, as the console's own principal (`console`: it may read the DLQs and write the topics they came from). */
    KAFKA_BROKERS: z
      .string()
      .regex(/^[^,\s:]+:\d+(,[^,\s:]+:\d+)*$/, 'must be host:port[,host:port...]')
      .default('127.0.0.1:9092')
      .transform((s) => s.split(',')),
    KAFKA_SASL_USERNAME: z.string().min(1).default('console'),
    /** Without it the dead-letter view says that Kafka is not configured (the rest of the console works). */
    KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
    /** As the services': SASL_SSL (brokers verified against NODE_EXTRA_CA_CERTS' CA too) or SASL_PLAINTEXT (a Kafka without TLS). */
    KAFKA_SECURITY_PROTOCOL: z.enum(['SASL_SSL', 'SASL_PLAINTEXT'], { error: 'must be "SASL_SSL" or "SASL_PLAINTEXT"' }).default('SASL_PLAINTEXT'),
  })
  .transform((c) => ({
    ...c,
    CONSOLE_PUBLIC_URL: (c.CONSOLE_PUBLIC_URL ?? `http://${c.HOST}:${c.PORT}`).replace(/\/+$/, ''),
    OIDC_BACKCHANNEL_URL: c.OIDC_BACKCHANNEL_URL ?? c.OIDC_ISSUER,
  }));

export type ConsoleConfig = z.infer<typeof configSchema>;

/**
 * Validates the environment; prints every problem and exits 1 on a bad one (a bad deploy stops at
 * boot). With `--check-config` it only validates, then exits 0, as the services do: the deployment
 * checks prove a container's environment complete with it.
 */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env, argv: readonly string[] = process.argv): ConsoleConfig {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  - ${i.path.map(String).join('.') || '(environment)'}: ${i.message}`);
    process.stderr.write(`console: invalid configuration\n${problems.join('\n')}\n`);
    process.exit(1);
  }
  if (argv.includes('--check-config')) {
    process.stdout.write('console: configuration OK\n');
    process.exit(0);
  }
  return result.data;
}
