/**
 * The order saga as a pure state machine: (state, event, now) -> (new state, commands to send).
 * No I/O here: the application layer loads the persisted state under a row lock, applies one
 * event, and saves the new state together with the outgoing commands (outbox) in one transaction.
 *
 * The steps, their replies, compensations and deadlines are the table in order-saga.table.ts;
 * this file knows only how a saga moves through any such table. Forward steps run one at a time,
 * in the table's order. Any failure, deadline or cancellation unwinds what was done, in reverse
 * order, one compensation at a time; each compensation is re-sent on its deadline until it is
 * confirmed. A step whose deadline passed counts as "maybe done" and is compensated too, because
 * its reply may still come (participants treat compensating something unknown as a no-op).
 */
import { ORDER_SAGA, roleOfReply, stepDefinition, type Compensation, type ParticipantReply, type SagaCommand, type Step } from './order-saga.table';

export type { Compensation, ParticipantReply, SagaCommand, Step } from './order-saga.table';
export type SagaStatus = 'RUNNING' | 'COMPLETED' | 'COMPENSATING' | 'REJECTED' | 'CANCELLED';
export type SagaOutcome = 'REJECTED' | 'CANCELLED';

export const STEPS: readonly Step[] = ORDER_SAGA.map((s) => s.step);

export interface SagaState {
  status: SagaStatus;
  /** The forward step awaiting its reply (RUNNING only). */
  step: Step | null;
  /** Forward steps confirmed done, in the order they were done. */
  done: Step[];
  /** COMPENSATING: compensations still to confirm; the first one is in flight. */
  pending: Compensation[];
  outcome: SagaOutcome | null;
  reason: string | null;
  /** Epoch ms at which the step or compensation in flight times out; null when nothing is in flight. */
  deadlineAt: number | null;
  /** How many times the command in flight has been sent. */
  attempts: number;
}

export type SagaEvent = ParticipantReply | { type: 'DeadlineExpired' } | { type: 'CancelRequested' };

export interface SagaTimings {
  /** How long a forward step may take before the saga gives up on it. */
  stepTimeoutMs: number;
  /** First wait before re-sending a compensation; doubles per attempt up to the maximum. */
  compensationRetryMs: number;
  compensationRetryMaxMs: number;
}

export interface Transition {
  state: SagaState;
  commands: SagaCommand[];
  /** Why the event changed nothing (duplicate, late, stale deadline); null when it was applied. */
  ignored: string | null;
}

/** A new saga: its first step. */
export function startSaga(now: number, timings: SagaTimings): Transition {
  const first = STEPS[0];
  return {
    state: {
      status: 'RUNNING',
      step: first,
      done: [],
      pending: [],
      outcome: null,
      reason: null,
      deadlineAt: now + stepDefinition(first).deadline(timings),
      attempts: 1,
    },
    commands: [first],
    ignored: null,
  };
}

export function isFinal(status: SagaStatus): boolean {
  return status === 'REJECTED' || status === 'CANCELLED';
}

/** Whether a customer may still cancel: before the saga ends badly, and (checked by the order) before dispatch. */
export function canCancel(state: SagaState): boolean {
  return state.status === 'RUNNING' || state.status === 'COMPLETED';
}

export function applySagaEvent(state: SagaState, event: SagaEvent, now: number, timings: SagaTimings): Transition {
  const unchanged = (why: string): Transition => ({ state, commands: [], ignored: why });

  if (event.type === 'DeadlineExpired') {
    if (state.deadlineAt === null || now < state.deadlineAt) return unchanged('no deadline has passed');
    if (state.status === 'RUNNING' && state.step) {
      return compensate(state, 'REJECTED', `${state.step} got no answer in time`, true, now, timings);
    }
    if (state.status === 'COMPENSATING') {
      // Compensations must succeed: send the one in flight again, waiting longer each time.
      const attempts = state.attempts + 1;
      return {
        state: { ...state, attempts, deadlineAt: now + retryDelay(attempts, timings) },
        commands: [state.pending[0]],
        ignored: null,
      };
    }
    return unchanged(`deadline in status ${state.status}`);
  }

  if (event.type === 'CancelRequested') {
    if (!canCancel(state)) return unchanged(`cannot cancel in status ${state.status}`);
    return compensate(state, 'CANCELLED', 'cancelled by the customer', state.status === 'RUNNING', now, timings);
  }

  const role = roleOfReply(event.type);
  if (!role) return unchanged(`unknown event ${event.type}`);

  if (role.kind === 'pointOfNoReturn') {
    // Undoing began with this step, and it can no longer be undone (the parcel has left): a
    // cancellation that lost the race, or a step that succeeded after its deadline and went past
    // its point of no return before its compensation arrived. Nothing else was undone yet (the
    // last step is undone first), so every step stands: the saga completes (rolling forward;
    // otherwise it would re-send the compensation forever).
    if (state.status === 'COMPENSATING' && state.pending[0] === compensationOf(role.step) && state.pending.length === STEPS.length) {
      return {
        state: { ...state, status: 'COMPLETED', pending: [], outcome: null, reason: null, deadlineAt: null, attempts: 0 },
        commands: [],
        ignored: null,
      };
    }
    // Worded for the one such reply so far, as the order histories already stored say it.
    return unchanged('dispatch outside a cancellation');
  }

  if (role.kind === 'success') {
    const succeeded = role.step;
    if (state.status === 'RUNNING' && state.step === succeeded) return advance(state, succeeded, now, timings);
    if (state.done.includes(succeeded) || state.status === 'COMPLETED') return unchanged(`duplicate ${event.type}`);
    // A late success after the saga gave up on that step: undo it, unless that is already under way.
    const undo = compensationOf(succeeded);
    if (state.pending.includes(undo)) return unchanged(`late ${event.type}: ${undo} already pending`);
    return { state, commands: [undo], ignored: null };
  }

  if (role.kind === 'failure') {
    if (state.status === 'RUNNING' && state.step === role.step && 'reason' in event) {
      return compensate(state, 'REJECTED', event.reason, false, now, timings);
    }
    return unchanged(`late or duplicate ${event.type}`);
  }

  const confirmed = role.compensation;
  if (state.status !== 'COMPENSATING' || state.pending[0] !== confirmed) return unchanged(`late or duplicate ${event.type}`);
  const pending = state.pending.slice(1);
  if (pending.length === 0) {
    return { state: { ...state, status: state.outcome ?? 'REJECTED', pending, deadlineAt: null, attempts: 0 }, commands: [], ignored: null };
  }
  return {
    state: { ...state, pending, attempts: 1, deadlineAt: now + retryDelay(1, timings) },
    commands: [pending[0]],
    ignored: null,
  };
}

/**
 * When the command in flight may be given up on, with its clock started at `clockStartedAt`: the
 * moment the participant could first see the command (it reached Kafka, or Kafka came back after
 * an outage) rather than the moment it was written. `null`: the clock has not started (the
 * command still waits to reach Kafka), so the allowance counts from `now`. The allowance is the
 * deadline of a forward step (from its table entry) and the current retry delay for a
 * compensation. Never earlier than the deadline already set; null when nothing is in flight.
 */
export function deadlineFromClockStart(state: SagaState, clockStartedAt: number | null, now: number, timings: SagaTimings): number | null {
  if (state.deadlineAt === null) return null;
  const allowance = state.step ? stepDefinition(state.step).deadline(timings) : retryDelay(state.attempts, timings);
  if (clockStartedAt === null) return Math.max(state.deadlineAt, now + allowance);
  const restarted = clockStartedAt + allowance;
  // A command reaches Kafka milliseconds after it is written: such a delay moves nothing.
  return restarted - state.deadlineAt < Math.min(CLOCK_TOLERANCE_MS, allowance / 2) ? state.deadlineAt : restarted;
}

/** A clock that started less than this after the command was sent (or half the allowance, if less) counts as started on time. */
export const CLOCK_TOLERANCE_MS = 1000;

function advance(state: SagaState, step: Step, now: number, timings: SagaTimings): Transition {
  const done = [...state.done, step];
  const next = STEPS[STEPS.indexOf(step) + 1];
  if (!next) {
    return { state: { ...state, status: 'COMPLETED', step: null, done, deadlineAt: null, attempts: 0 }, commands: [], ignored: null };
  }
  return {
    state: { ...state, step: next, done, deadlineAt: now + stepDefinition(next).deadline(timings), attempts: 1 },
    commands: [next],
    ignored: null,
  };
}

/** Unwind in reverse order. `includeInFlight`: the step awaiting a reply may have happened, so undo it too. */
function compensate(
  state: SagaState,
  outcome: SagaOutcome,
  reason: string,
  includeInFlight: boolean,
  now: number,
  timings: SagaTimings,
): Transition {
  const toUndo = includeInFlight && state.step ? [...state.done, state.step] : state.done;
  const pending = toUndo.map(compensationOf).reverse();
  if (pending.length === 0) {
    return {
      state: { ...state, status: outcome, step: null, outcome, reason, pending, deadlineAt: null, attempts: 0 },
      commands: [],
      ignored: null,
    };
  }
  return {
    state: {
      ...state,
      status: 'COMPENSATING',
      step: null,
      outcome,
      reason,
      pending,
      deadlineAt: now + retryDelay(1, timings),
      attempts: 1,
    },
    commands: [pending[0]],
    ignored: null,
  };
}

function compensationOf(step: Step): Compensation {
  return stepDefinition(step).compensation as Compensation;
}

function retryDelay(attempt: number, timings: SagaTimings): number {
  return Math.min(timings.compensationRetryMs * 2 ** (attempt - 1), timings.compensationRetryMaxMs);
}
