import { homedir } from 'node:os';
import { join } from 'node:path';
import type { InfraContext } from './context';
import { InfraError } from './toolkit/log';
import { run, type Env } from './toolkit/process';

/**
 * TLS on the local infrastructure. A private CA, made once into the user's cache (`<cache>/tls`)
 * by the script compose's `certs` job runs (docker/tls/make-certs.sh), signs a certificate for
 * each server that speaks TLS here, for the names clients use: 127.0.0.1 and localhost. Kafka's
 * listeners are SASL_SSL, Postgres accepts TCP connections only over TLS, Mailpit requires
 * STARTTLS; every local client verifies the server against the CA (endpoints.ts says how).
 *
 * SHOP_TLS=off, for debugging only (reading the traffic with tcpdump), starts the servers and
 * describes the clients in plain text; servers and clients must agree, so set it for both.
 */
export const TLS_SERVERS = ['kafka', 'postgres', 'mailpit'] as const;
export type TlsServer = (typeof TLS_SERVERS)[number];

/** The names every local server certificate is valid for (openssl's subjectAltName syntax). */
const SANS = 'DNS:localhost,IP:127.0.0.1';

/** A server's files in the TLS dir (make-certs.sh's names). */
export interface ServerCertificate {
  /** The certificate, then the CA's. */
  certFile: string;
  /** Its private key (PKCS#8, mode 0600). */
  keyFile: string;
  /** Key and certificates in one file: Kafka's PEM keystore. */
  keystoreFile: string;
}

export interface LocalTls {
  /** The directory: ca.pem, and <server>.pem, .key and -keystore.pem for each server. */
  dir: string;
  /** What clients trust: sslrootcert, NODE_EXTRA_CA_CERTS, kafkajs `ssl.ca`, Kafka's PEM truststore. */
  caFile: string;
  server(name: TlsServer): ServerCertificate;
}

/** The user-level cache, as scripts/infra/lib.sh says it (SHOP_CACHE_DIR, else $XDG_CACHE_HOME or ~/.cache, then shop-platform). */
export function cacheDirOf(env: Env): string {
  return env['SHOP_CACHE_DIR'] || join(env['XDG_CACHE_HOME'] || join(env['HOME'] || homedir(), '.cache'), 'shop-platform');
}

/** SHOP_TLS: on (the default) or off. */
export function tlsEnabled(env: Env): boolean {
  const value = env['SHOP_TLS'] || 'on';
  if (value !== 'on' && value !== 'off') throw new InfraError(`SHOP_TLS=${value}: must be "on" (the default) or "off" (plain text, for debugging)`);
  return value === 'on';
}

/** Where the local CA and the servers' certificates are; undefined with SHOP_TLS=off. */
export function localTls(env: Env): LocalTls | undefined {
  if (!tlsEnabled(env)) return undefined;
  const dir = join(cacheDirOf(env), 'tls');
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    server: (name) => ({ certFile: join(dir, `${name}.pem`), keyFile: join(dir, `${name}.key`), keystoreFile: join(dir, `${name}-keystore.pem`) }),
  };
}

/**
 * The client settings of the services, the console and the tools (kafka-acls.mts) that go with
 * this environment: KAFKA_SECURITY_PROTOCOL, SMTP_SECURITY and, with TLS, NODE_EXTRA_CA_CERTS (the
 * local CA, which a Node process then trusts besides its own; read at its start).
 */
export function clientSecurityEnv(env: Env): Record<string, string> {
  const tls = localTls(env);
  return tls
    ? { KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', SMTP_SECURITY: 'starttls', NODE_EXTRA_CA_CERTS: tls.caFile }
    : { KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', SMTP_SECURITY: 'none' };
}

/** The TLS settings when on; fails when SHOP_TLS=off (a component that asks has checked). */
export function requireTls(env: Env): LocalTls {
  const tls = localTls(env);
  if (!tls) throw new InfraError('TLS is off (SHOP_TLS=off)');
  return tls;
}

/**
 * Before the first server that needs them starts: the CA and the servers' certificates, made when
 * missing, expiring within 30 days or not signed by the current CA, kept otherwise (make-certs.sh
 * decides, under a lock: several suites may start servers at once). Keys belong to the user who
 * runs the servers (Postgres gets a copy of its own: postgres.ts). Nothing to do with SHOP_TLS=off.
 */
export async function ensureCertificates(ctx: InfraContext, servers: readonly string[]): Promise<void> {
  const tls = localTls(ctx.env);
  const needed = TLS_SERVERS.filter((s) => servers.includes(s));
  if (!tls || needed.length === 0) return;
  const owner = `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
  const script = join(ctx.repoRoot, 'docker/tls/make-certs.sh');
  const { code, stdout, stderr } = await run('bash', [script, tls.dir, ...needed.map((name) => `${name}/${owner}/${SANS}`)], { env: ctx.env });
  // openssl's chatter on stderr ("Certificate request self-signature ok") is noise; what was made is on stdout.
  for (const line of stdout.split('\n').filter(Boolean)) ctx.log.log(`tls: ${line.replace(/^make-certs: /, '')}`);
  if (code !== 0) throw new InfraError(`tls: ${script} failed (exit ${code}): ${stderr.trim()}`);
}
