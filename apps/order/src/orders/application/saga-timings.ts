/** Injection token for the saga's SagaTimings (from ORDER_STEP_TIMEOUT_MS and friends). */
export const SAGA_TIMINGS = Symbol('SAGA_TIMINGS');
