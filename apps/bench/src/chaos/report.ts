import type { Machine } from '../machine';
import { CLUSTER_STEP_TIMEOUT_MS } from './chaos-shop';
import type { ScenarioResult } from './scenarios';

/** A problem in the Markdown: its first line, at most 400 characters (the JSON report keeps it whole, a failed start's process output included). */
const brief = (problem: string) => {
  const line = problem.split('\n')[0].trimEnd();
  return line.length > 400 || line.length < problem.length ? `${line.slice(0, 400)} … (whole in the .json)` : line;
};

/** "none", or each answer with its count, the most frequent first: `3 ECONNREFUSED, 1 503`. */
const notAccepted = (s: ScenarioResult) =>
  Object.entries(s.notAccepted)
    .sort(([, a], [, b]) => b - a)
    .map(([answer, n]) => `${n} ${answer}`)
    .join(', ') || 'none';

export interface ChaosReport {
  startedAt: string;
  durationS: number;
  short: boolean;
  /** Three Kafka nodes and two replicas of each service (`--cluster`). */
  cluster: boolean;
  rate: number;
  rateWhy: string;
  machine: Machine;
  scenarios: ScenarioResult[];
  pass: boolean;
}

/** The report as Markdown: one row per scenario, then what failed. */
export function chaosMarkdown(r: ChaosReport): string {
  const lines = [
    `# Chaos run ${r.startedAt}${r.short ? ' (short form)' : ''}${r.cluster ? ': three Kafka nodes, two replicas of each service' : ''}`,
    '',
    ...(r.cluster
      ? [
          'The shop of `npm run shop -- --brokers 3 --replicas 2`: three KRaft nodes (each broker and controller), every topic with 12',
          'partitions, 3 copies and min.insync.replicas 2; two processes of each service, the outbox in two shards under leases (3 s);',
          `orders sent to the order replicas in turn (a refused connection tried once on the other, with the same idempotency key); saga step timeout ${CLUSTER_STEP_TIMEOUT_MS / 1000} s.`,
          '',
        ]
      : []),
    `Steady load: ${r.rate} orders/s (${r.rateWhy}), every path: 70% happy (1 in 10 cancelled), 10% out of stock, 10% declined, 10% unshippable.`,
    `Machine: ${r.machine.cores} cores, ${r.machine.cpu}, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, commit ${r.machine.gitCommit}. Duration ${r.durationS} s.`,
    '',
    'After each fault: every order final (DELIVERED, REJECTED or CANCELLED) within 60 s of recovery; every email its status calls for sent',
    'and in the SMTP sink (none for refused addresses); no consumer lagging; stock conserved and reserved only for kept orders; charges',
    'minus refunds equal the kept orders\' totals; one live shipment per kept order and none for others; no email twice; the dead-letter',
    'topics hold exactly the injected poison; every service still running; no customer\'s email, name or street in any service\'s output.',
    ...(r.cluster
      ? ['In the cluster, besides: every order accepted but those sent while a process was down or starting, and no forward step given up on its deadline.']
      : []),
    '',
    '| scenario | fault | orders offered | accepted | not accepted | final | delivered / rejected / cancelled | steps timed out | recovered in | checks | result |',
    '|---|---|---:|---:|---|---:|---|---:|---:|---|---|',
    ...r.scenarios.map(
      (s) =>
        `| ${s.name} | ${s.fault} | ${s.offered} | ${s.accepted} | ${notAccepted(s)} | ${s.final} | ${s.outcomes['DELIVERED'] ?? 0} / ${s.outcomes['REJECTED'] ?? 0} / ${s.outcomes['CANCELLED'] ?? 0} | ${s.stepsTimedOut} | ${s.recoverS === null ? 'not within 60 s' : `${s.recoverS} s`} | ${s.problems.length === 0 ? 'all hold' : `${s.problems.length} failed`} | ${s.pass ? 'pass' : '**FAIL**'} |`,
    ),
    '',
    '"Recovered in": from the moment the fault was undone (the load runs 5 s more, 3 s in the short form) until every order was final, every',
    'email sent and no consumer lagging. "Steps timed out": forward steps given up on after their deadline; a participant killed or frozen',
    `past the ${r.cluster ? CLUSTER_STEP_TIMEOUT_MS / 1000 : 10} s step timeout is slow as far as the saga can tell, so some orders end REJECTED and are compensated there.`,
    '',
    `**${r.pass ? 'All scenarios passed.' : 'Some scenarios failed.'}**`,
  ];
  const measured = r.scenarios.filter((s) => s.measured.length > 0);
  if (measured.length > 0) {
    lines.push('', '## Measured', '', ...measured.map((s) => `- ${s.name}: ${s.measured.join('; ')}`));
  }
  const failed = r.scenarios.filter((s) => !s.pass);
  if (failed.length > 0) {
    lines.push('', '## What failed');
    for (const s of failed) lines.push('', `### ${s.name}`, ...s.problems.map((p) => `- ${brief(p)}`));
  }
  return `${lines.join('\n')}\n`;
}
