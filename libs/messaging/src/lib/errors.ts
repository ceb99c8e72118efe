/**
 * A message that can never be handled as it is (unreadable, unknown type or version, data
 * that fails its schema, or FORGED: a type on a topic its contract does not name, a reply that
 * answers no command): it goes to the dead-letter topic at once, without retries.
 */
export class PoisonMessageError extends Error {
  constructor(
    readonly reason: 'INVALID_JSON' | 'MISSING_HEADER' | 'UNSUPPORTED_CONTENT_TYPE' | 'UNKNOWN_TYPE' | 'SCHEMA_INVALID' | 'FORGED',
    detail: string,
  ) {
    super(`${reason}: ${detail}`);
    this.name = 'PoisonMessageError';
  }
}

/** Thrown by a handler for a failure that retrying cannot fix: dead-lettered at once. */
export class NonRetryableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetryableError';
  }
}

/** Whether a failure is a forgery (PoisonMessageError FORGED): counted and alerted on its own. */
export function isForged(error: unknown): boolean {
  return error instanceof PoisonMessageError && error.reason === 'FORGED';
}
