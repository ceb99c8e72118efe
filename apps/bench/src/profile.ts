import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of a V8 .cpuprofile (written by `node --cpu-prof`) that a self-time summary needs. */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  what: string;
  selfMs: number;
  share: number;
}

/** Where a function lives: a package of node_modules, a file of the project, or a V8/Node builtin. */
export function origin(url: string): string {
  if (!url) return '(native / V8)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return url;
  const project = /(apps|libs)\/[^?#]*/.exec(url);
  return project ? project[0] : url;
}

/**
 * Self time per function, and per origin (package or file) with the time of native code and of
 * Node's own modules (socket writes, timers) charged to the nearest caller in a package or in the
 * project, biggest first,
 * from one or more profiles. Idle time and V8's own bookkeeping are left out.
 */
export function summarise(profiles: CpuProfile[], top = 15): { functions: ProfileEntry[]; origins: ProfileEntry[]; totalMs: number } {
  const byFunction = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  let total = 0;
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const parents = new Map<number, number>();
    for (const n of profile.nodes) for (const child of n.children ?? []) parents.set(child, n.id);
    const callerOrigin = (id: number): string => {
      for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
        const url = nodes.get(at)?.callFrame.url;
        if (url && !url.startsWith('node:')) return origin(url);
      }
      return origin('');
    };
    profile.samples.forEach((id, i) => {
      const ms = (profile.timeDeltas[i] ?? 0) / 1000;
      const frame = nodes.get(id)?.callFrame;
      if (!frame || frame.functionName === '(idle)' || frame.functionName === '(program)') return;
      const fn = `${frame.functionName || '(anonymous)'} ${origin(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
      const where = callerOrigin(id);
      byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
      byOrigin.set(where, (byOrigin.get(where) ?? 0) + ms);
      total += ms;
    });
  }
  const list = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([what, ms]) => ({ what, selfMs: Math.round(ms), share: total ? Math.round((ms / total) * 1000) / 10 : 0 }));
  return { functions: list(byFunction), origins: list(byOrigin), totalMs: Math.round(total) };
}

export function readProfiles(dir: string): CpuProfile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile);
}
