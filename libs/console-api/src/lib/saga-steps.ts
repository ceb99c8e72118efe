import type { Order } from './console-api';

/** One entry of an order's saga timeline, as the order API's GET /orders/:id returns it. */
export type TimelineEntry = Order['timeline'][number];

export type StepOutcome = 'succeeded' | 'failed' | 'timed out' | 'in flight';

/** One command of the saga, from when it was first sent to the reply (or deadline) that closed it. */
export interface SagaStep {
  command: string;
  /** How often it was sent (compensations are re-sent until confirmed). */
  attempts: number;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  outcome: StepOutcome;
  /** The reply that closed it, and the reason a failure reply gave. */
  reply: string | null;
  reason: string | null;
}

/**
 * The saga's steps, read from the order's own timeline. The saga sends one command at a time
 * (forward steps, then compensations one by one in reverse), so the reply that follows a command
 * answers it; a reply the saga ignored (a duplicate, a late answer) closes nothing, and a passed
 * deadline closes the step it names. A failure reply is the one that carries a reason.
 */
export function sagaSteps(timeline: readonly TimelineEntry[]): SagaStep[] {
  const steps: SagaStep[] = [];
  const close = (step: SagaStep, at: string, outcome: StepOutcome, reply: string | null, reason: string | null) => {
    Object.assign(step, { endedAt: at, durationMs: Date.parse(at) - Date.parse(step.startedAt), outcome, reply, reason });
  };
  const open = () => steps.filter((s) => s.outcome === 'in flight');
  for (const entry of timeline) {
    if (entry.event === 'CommandSent' && entry.command) {
      const resent = open().find((s) => s.command === entry.command);
      if (resent) resent.attempts = entry.attempt ?? resent.attempts + 1;
      else steps.push({ command: entry.command, attempts: entry.attempt ?? 1, startedAt: entry.at, endedAt: null, durationMs: null, outcome: 'in flight', reply: null, reason: null });
    } else if (entry.event === 'ReplyReceived' && entry.reply && !entry.ignored) {
      const answered = open().at(-1);
      if (answered) close(answered, entry.at, entry.reason ? 'failed' : 'succeeded', entry.reply, entry.reason ?? null);
    } else if (entry.event === 'DeadlinePassed' && entry.waitingFor) {
      const late = open().find((s) => s.command === entry.waitingFor);
      if (late) close(late, entry.at, 'timed out', null, null);
    }
  }
  return steps;
}
