import { InfraError } from './toolkit/log';
import type { Env } from './toolkit/process';

/*
 * Settings come from the environment, with the defaults scripts/infra has always had. As in bash's
 * `${NAME:=default}`, an empty variable means the default.
 */

export function text(env: Env, name: string, fallback: string): string {
  return env[name] || fallback;
}

export function int(env: Env, name: string, fallback: number): number {
  const value = env[name];
  if (!value) return fallback;
  if (!/^[0-9]+$/.test(value)) throw new InfraError(`${name}=${value} is not a whole number`);
  return Number(value);
}

/** A listening port: the variable that sets it and its default (none: off unless set). */
export interface PortSetting {
  readonly env: string;
  readonly default?: number;
}

export function port(env: Env, name: string, fallback: number): number;
export function port(env: Env, name: string, fallback?: number): number | undefined;
export function port(env: Env, name: string, fallback?: number): number | undefined {
  const value = env[name] ? int(env, name, 0) : fallback;
  if (value !== undefined && (value < 1 || value > 65535)) throw new InfraError(`${name}=${value} is not a TCP port (1-65535)`);
  return value;
}

type PortValues<T extends Record<string, PortSetting>> = { [K in keyof T]: T[K] extends { default: number } ? number : number | undefined };

/** A component's named ports with this environment: `{ smtp: 1025, http: 8025 }`. */
export function portValues<const T extends Record<string, PortSetting>>(settings: T, env: Env): PortValues<T> {
  return Object.fromEntries(Object.entries(settings).map(([key, s]) => [key, port(env, s.env, s.default)])) as PortValues<T>;
}

/** The ports a list of settings gives, in order; a port without default is left out while unset. */
export function resolvePorts(settings: readonly PortSetting[], env: Env): number[] {
  return settings.map((s) => port(env, s.env, s.default)).filter((p): p is number => p !== undefined);
}

/** A space separated list (JVM options, database names). */
export const words = (value: string): string[] => value.split(/\s+/).filter(Boolean);

/**
 * Kafka's SASL/SCRAM-SHA-512 users: `admin` (super user: topic setup, ACLs, tests and tools), one
 * per service and `console` (the ops console), each with only its ACLs (scripts/infra/kafka-acls.mts).
 * The passwords are local-only defaults, `<user>-local`; KAFKA_<USER>_PASSWORD overrides one.
 * Changing one re-formats the local Kafka.
 */
export const KAFKA_SCRAM_USERS = ['admin', 'order', 'inventory', 'payment', 'shipping', 'notification', 'analytics', 'console'] as const;

export const kafkaPasswordVariable = (user: string) => `KAFKA_${user.toUpperCase()}_PASSWORD`;

/** A Kafka user's password with this environment (a user of KAFKA_SCRAM_USERS exists in the local Kafka). */
export const kafkaPassword = (env: Env, user: string) => text(env, kafkaPasswordVariable(user), `${user}-local`);

export function kafkaUsers(env: Env): { user: string; password: string }[] {
  return KAFKA_SCRAM_USERS.map((user) => ({ user, password: kafkaPassword(env, user) }));
}

/**
 * Each service's Postgres role, `shop_<service>`: owner of its database `shop_<service>` only (as
 * docker/postgres/init-databases.sql makes them for compose), signing in with SCRAM-SHA-256. The
 * passwords are local-only defaults, `<service>-local`; POSTGRES_<SERVICE>_PASSWORD overrides one.
 */
export const POSTGRES_SERVICES = ['order', 'inventory', 'payment', 'shipping', 'notification'] as const;

export const postgresPasswordVariable = (service: string) => `POSTGRES_${service.toUpperCase()}_PASSWORD`;

/** A service role's password with this environment. */
export const postgresPassword = (env: Env, service: string) => text(env, postgresPasswordVariable(service), `${service}-local`);

export function postgresRoles(env: Env): { service: string; role: string; database: string; password: string }[] {
  return POSTGRES_SERVICES.map((service) => ({ service, role: `shop_${service}`, database: `shop_${service}`, password: postgresPassword(env, service) }));
}
