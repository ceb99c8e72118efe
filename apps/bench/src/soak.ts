import { SERVICES, type Shop } from '@shop/testing';
import type { PhaseResult } from './phase';
import { median, round } from './stats';

/**
 * `npm run bench -- --soak`: the shop under a steady load for a long while, one minute at a time,
 * with each service's memory read after every minute. Memory should level off after a warm-up;
 * latency should not drift. These are the bars and the pure arithmetic behind the verdict.
 */

/** Growth of a service's resident memory over the last {@link SOAK_WINDOW_MINUTES} that still counts as flat. */
export const FLAT_GROWTH = 0.1;
/** The minutes the memory verdict looks at: the last ones of the run (what comes before is warm-up). */
export const SOAK_WINDOW_MINUTES = 20;
/** Latency drifts when the last minutes' median p50 is this many times the first minutes' after warm-up. */
export const DRIFT_FACTOR = 1.5;
/** Minutes compared at each end for the latency drift. */
const DRIFT_MINUTES = 5;

/** One service's memory at a moment, from its /metrics (prom-client's default metrics), in MB. */
export interface MemorySample {
  rssMb: number;
  heapUsedMb: number;
  /** Memory of buffers and other objects outside the V8 heap (Kafka and Postgres sockets' buffers). */
  externalMb: number;
}

export interface SoakMinute {
  minute: number;
  offered: number;
  accepted: number;
  finalWithin10s: number;
  serverErrors: number;
  p50: number | null;
  p99: number | null;
  memory: Record<string, MemorySample>;
}

export interface Growth {
  from: number;
  to: number;
  percent: number;
}

export interface SoakVerdict {
  /** The minutes the memory verdict compares: the first and the last of the window. */
  window: { from: number; to: number };
  memory: Record<string, { rss: Growth; heapUsed: Growth; flat: boolean }>;
  memoryFlat: boolean;
  latency: { firstP50: number | null; lastP50: number | null; drifted: boolean };
  everyOrderFinal: boolean;
}

/** The value of an unlabelled sample in a Prometheus text exposition. */
export function metricValue(exposition: string, name: string): number | undefined {
  const line = exposition.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1).split(' ')[0]);
}

const MB = 1024 * 1024;

/** The memory of one service process, read from its exposition. */
export function memoryOf(exposition: string): MemorySample {
  const read = (name: string) => {
    const value = metricValue(exposition, name);
    if (value === undefined || !Number.isFinite(value)) throw new Error(`no ${name} in the exposition`);
    return round(value / MB, 1);
  };
  return { rssMb: read('process_resident_memory_bytes'), heapUsedMb: read('nodejs_heap_size_used_bytes'), externalMb: read('nodejs_external_memory_bytes') };
}

/** Every service's memory now. */
export async function sampleMemory(shop: Shop): Promise<Record<string, MemorySample>> {
  const samples: Record<string, MemorySample> = {};
  for (const name of SERVICES) {
    const res = await fetch(`${shop.url(name)}/metrics`);
    if (!res.ok) throw new Error(`${name} /metrics answered ${res.status}`);
    samples[name] = memoryOf(await res.text());
  }
  return samples;
}

/** A minute of the soak, from its phase's result and the memory read after it. */
export function soakMinute(minute: number, phase: PhaseResult, memory: Record<string, MemorySample>): SoakMinute {
  return {
    minute,
    offered: phase.offered,
    accepted: phase.accepted,
    finalWithin10s: phase.finalWithin10s,
    serverErrors: phase.serverErrors,
    p50: phase.confirmLatencyMs ? round(phase.confirmLatencyMs.p50) : null,
    p99: phase.confirmLatencyMs ? round(phase.confirmLatencyMs.p99) : null,
    memory,
  };
}

const growth = (from: number, to: number): Growth => ({ from, to, percent: from > 0 ? round(((to - from) / from) * 100) : 0 });

/**
 * Memory: each service's resident memory at the end of the run against the start of the last
 * {@link SOAK_WINDOW_MINUTES} (all minutes when the run is shorter); flat when it grew less than
 * {@link FLAT_GROWTH}. Latency: the median p50 of the last minutes against that of the first
 * minutes after the window's start.
 */
export function soakVerdict(minutes: SoakMinute[]): SoakVerdict {
  if (minutes.length < 2) throw new Error('a soak verdict needs at least two minutes');
  const first = minutes[Math.max(0, minutes.length - 1 - SOAK_WINDOW_MINUTES)];
  const last = minutes[minutes.length - 1];
  const memory: SoakVerdict['memory'] = {};
  for (const name of Object.keys(last.memory)) {
    const rss = growth(first.memory[name].rssMb, last.memory[name].rssMb);
    memory[name] = { rss, heapUsed: growth(first.memory[name].heapUsedMb, last.memory[name].heapUsedMb), flat: rss.percent < FLAT_GROWTH * 100 };
  }
  const window = minutes.slice(minutes.indexOf(first));
  const p50s = (ms: SoakMinute[]) => ms.flatMap((m) => (m.p50 === null ? [] : [m.p50]));
  const firstP50 = p50s(window.slice(0, DRIFT_MINUTES));
  const lastP50 = p50s(window.slice(-DRIFT_MINUTES));
  const latency = {
    firstP50: firstP50.length ? median(firstP50) : null,
    lastP50: lastP50.length ? median(lastP50) : null,
    drifted: !firstP50.length || !lastP50.length || median(lastP50) > DRIFT_FACTOR * median(firstP50),
  };
  return {
    window: { from: first.minute, to: last.minute },
    memory,
    memoryFlat: Object.values(memory).every((m) => m.flat),
    latency,
    everyOrderFinal: minutes.every((m) => m.finalWithin10s === m.accepted && m.accepted === m.offered && m.serverErrors === 0),
  };
}

const table = (head: string[], rows: Array<Array<string | number>>) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

export interface SoakReport {
  startedAt: string;
  durationS: number;
  machine: { cores: number; cpu: string; memoryGiB: number; node: string; gitCommit: string };
  rate: number;
  minutes: SoakMinute[];
  verdict: SoakVerdict;
}

export function soakMarkdown(r: SoakReport): string {
  const v = r.verdict;
  const services = Object.keys(v.memory);
  const out = [
    `# npm run bench -- --soak: ${r.startedAt}`,
    '',
    `Machine: ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memoryGiB} GiB; Node ${r.machine.node}; commit ${r.machine.gitCommit}. ` +
      `${r.minutes.length} minutes at ${r.rate} orders/s, open loop, one minute at a time (each minute's orders are followed to the end before the next minute starts), ` +
      `each service's memory read from its /metrics after every minute. Run took ${r.durationS} s.`,
    '',
    '## Verdict',
    table(
      ['check', 'measured', 'met'],
      [
        [`resident memory flat over minutes ${v.window.from}-${v.window.to} (< ${FLAT_GROWTH * 100}% growth)`, services.map((s) => `${s} ${v.memory[s].rss.percent}%`).join(', '), v.memoryFlat ? 'yes' : '**no**'],
        [`POST -> CONFIRMED p50 does not drift (last ${DRIFT_MINUTES} minutes <= ${DRIFT_FACTOR}x the first ${DRIFT_MINUTES} of the window)`, `${v.latency.firstP50 ?? '-'} ms -> ${v.latency.lastP50 ?? '-'} ms`, v.latency.drifted ? '**no**' : 'yes'],
        ['every order accepted and final within 10 s, no 5xx', v.everyOrderFinal ? 'yes' : 'no', v.everyOrderFinal ? 'yes' : '**no**'],
      ],
    ),
    '',
    `## Memory over the window (MB, minute ${v.window.from} -> ${v.window.to})`,
    table(
      ['service', 'resident', 'V8 heap used'],
      services.map((s) => [s, `${v.memory[s].rss.from} -> ${v.memory[s].rss.to} (${v.memory[s].rss.percent}%)`, `${v.memory[s].heapUsed.from} -> ${v.memory[s].heapUsed.to} (${v.memory[s].heapUsed.percent}%)`]),
    ),
    '',
    '## Minute by minute (resident MB / V8 heap used MB per service; latency in ms)',
    table(
      ['minute', 'accepted', 'final in 10 s', 'p50', 'p99', ...services],
      r.minutes.map((m) => [m.minute, m.accepted, m.finalWithin10s, m.p50 ?? '-', m.p99 ?? '-', ...services.map((s) => `${m.memory[s].rssMb} / ${m.memory[s].heapUsedMb}`)]),
    ),
    '',
  ];
  return out.join('\n');
}
