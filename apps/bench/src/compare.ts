// `npm run bench:compare -- a.json b.json ...`: the key figures of several bench reports side by
// side, and their medians per checkout commit (runs on a shared machine are noisy: compare medians).
import { readFileSync } from 'node:fs';
import type { BenchReport } from './report';
import { median, round } from './stats';

const rows = process.argv.slice(2).map((file) => {
  const r = JSON.parse(readFileSync(file, 'utf8')) as BenchReport;
  const l = r.latency.confirmLatencyMs;
  return {
    commit: `${r.machine.gitCommit}${Object.keys((r.settings['serviceEnv'] as Record<string, string> | undefined) ?? {}).length ? ` ${JSON.stringify(r.settings['serviceEnv'])}` : ''}`,
    file: file.replace(/^.*\//, ''),
    'p50 ms': l?.p50 ?? NaN,
    'p99 ms': l?.p99 ?? NaN,
    'cpu ms/order': r.latency.cpuPerOrder.total.measured,
    'kafka ms/order': r.latency.cpuPerOrder.measured['kafka'],
    'postgres ms/order': r.latency.cpuPerOrder.measured['postgres'],
    'order ms/order': r.latency.cpuPerOrder.measured['order'],
    'hop kafka p50': r.latency.hops?.kafka?.p50 ?? NaN,
    'commit->ack p50': r.latency.hops?.commitToAck?.p50 ?? NaN,
    'stmts/order': r.latency.perOrder.sqlStatements,
    'tx/order': r.latency.perOrder.transactions,
    'sustained /s': r.sustainedRate,
    'baseline p50': r.baseline?.latency.confirmLatencyMs?.p50 ?? NaN,
  };
});
const keys = Object.keys(rows[0] ?? {}).filter((k) => k !== 'commit' && k !== 'file');
console.log(['commit', 'file', ...keys].join('\t'));
for (const r of rows) console.log([r.commit, r.file, ...keys.map((k) => round(Number(r[k as keyof typeof r]), 1))].join('\t'));
for (const commit of [...new Set(rows.map((r) => r.commit))]) {
  const mine = rows.filter((r) => r.commit === commit);
  console.log([commit, `median of ${mine.length}`, ...keys.map((k) => round(median(mine.map((r) => Number(r[k as keyof typeof r]))), 1))].join('\t'));
}
