/**
 * Socket errors that mean the database could not be reached, or the connection was lost.
 * Node sets them as `code` on the error (`connect ECONNREFUSED 127.0.0.1:5432`).
 */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * SQLSTATEs of a server that is going away or not yet accepting work: class 08 (connection
 * exception), 57P01-57P03 (admin or crash shutdown, "the database system is starting up") and
 * 53300 (too many connections).
 */
const isUnavailableState = (code: string) => code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code);

/** What node-postgres throws when the server closes the socket, or a pool connect times out. */
const LOST_CONNECTION = /^(Connection terminated|timeout exceeded when trying to connect)/;

/**
 * True when `error` says the database was unreachable rather than that the message or its
 * handler is at fault. Such a failure is not the message's: the consumer waits for the database
 * instead of spending the message's retry budget and dead-lettering it. Follows `cause` and
 * TypeORM's `driverError`.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  // Duck-typed, not `instanceof Error`: errors made by Node's own modules come from another realm under jest.
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    const { code, message, driverError, cause } = e as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || isUnavailableState(code))) return true;
    if (typeof message === 'string' && LOST_CONNECTION.test(message)) return true;
    e = driverError ?? cause;
  }
  return false;
}
