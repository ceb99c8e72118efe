/**
 * Domain errors, importable from domain code without pulling in any framework
 * (`@shop/platform/errors` has no dependencies). The HTTP layer maps `kind` to a status.
 */
export type DomainErrorKind = 'NOT_FOUND' | 'CONFLICT' | 'INVALID';

export class DomainError extends Error {
  /**
   * @param code stable, documented, machine-readable: `ORDER.NOT_FOUND`, `ORDER.CANNOT_CANCEL`
   * @param kind what sort of failure, which decides the HTTP status (404, 409, 422)
   */
  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
