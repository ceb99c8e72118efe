import type { HealthCheckRow } from '@shop/console-api';

/** A terminus answer of a service's /health/ready: each dependency's status, under `details` (200 and 503 alike). */
export interface ReadinessAnswer {
  status?: string;
  details?: Record<string, { status?: string; message?: string; [detail: string]: unknown }>;
}

/** A dependency breaker as /health/ready's `breakers` detail lists it (libs/messaging BreakerReading). */
interface BreakerDetail {
  consumer?: string;
  dependency?: string;
  state?: string;
  since?: string;
  lastError?: string;
}

/** `database closed`, or `smtp open since 12:40:01 (connect ECONNREFUSED ...)`. */
function breakerText(b: BreakerDetail): string {
  if (b.state === 'closed') return `${b.dependency} closed`;
  const since = b.since ? ` since ${b.since.slice(11, 19)}` : '';
  return `${b.dependency} ${(b.state ?? '?').replace('_', '-')}${since}${b.lastError ? ` (${b.lastError})` : ''}`;
}

/**
 * One service's probes as a row: up when both answer 200; the detail names each dependency's
 * state, then each dependency breaker's (an open breaker leaves the service ready: it waits).
 */
export function serviceRow(service: string, live: number | string, ready: { status: number; body: ReadinessAnswer | null } | string): HealthCheckRow {
  const liveText = typeof live === 'number' ? `live ${live === 200 ? 'ok' : live}` : `live: ${live}`;
  if (typeof ready === 'string')
    return {
      name: service,
      kind: 'service',
      up: false,
      detail: `${liveText}; ready: ${ready}`,
    };
  const { breakers, ...checks } = ready.body?.details ?? {};
  const deps = Object.entries(checks).map(([name, d]) => `${name} ${d.status ?? '?'}${d.message ? ` (${d.message})` : ''}`);
  const breakerList = Array.isArray(breakers?.['breakers']) ? (breakers['breakers'] as BreakerDetail[]) : [];
  const breakersText = breakerList.length > 0 ? `; breakers: ${breakerList.map(breakerText).join(', ')}` : '';
  const readyText = `ready ${ready.status === 200 ? 'ok' : ready.status}${deps.length > 0 ? `: ${deps.join(', ')}` : ''}${breakersText}`;
  return {
    name: service,
    kind: 'service',
    up: live === 200 && ready.status === 200,
    detail: `${liveText}; ${readyText}`,
  };
}

/**
 * Postgres or Kafka as the services see them (each service's readiness checks its own database
 * and its Kafka connection): up when every service that reported on it says up.
 */
export function dependencyRow(name: string, dependency: string, readiness: Array<{ service: string; body: ReadinessAnswer | null }>): HealthCheckRow {
  const reports = readiness.flatMap(({ service, body }) => {
    const d = body?.details?.[dependency];
    return d ? [{ service, up: d.status === 'up', message: d.message }] : [];
  });
  if (reports.length === 0)
    return {
      name,
      kind: 'infrastructure',
      up: false,
      detail: 'no service reported on it (are they running?)',
    };
  const down = reports.filter((r) => !r.up);
  if (down.length === 0)
    return {
      name,
      kind: 'infrastructure',
      up: true,
      detail: `up for ${reports.map((r) => r.service).join(', ')}`,
    };
  return {
    name,
    kind: 'infrastructure',
    up: false,
    detail: `down for ${down.map((r) => `${r.service}${r.message ? ` (${r.message})` : ''}`).join(', ')}`,
  };
}
