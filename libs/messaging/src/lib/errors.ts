/**
 * A message that can never be handled as it is (unreadable, unknown type or version, data
 * that fails its schema): it goes to the dead-letter topic at once, without retries.
 */
export class PoisonMessageError extends Error {
  constructor(
    readonly reason: 'INVALID_JSON' | 'MISSING_HEADER' | 'UNSUPPORTED_CONTENT_TYPE' | 'UNKNOWN_TYPE' | 'SCHEMA_INVALID',
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
