import { Injectable, NestMiddleware } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields a request handler learns on the way (the order it is about) and wants on every log line. */
export interface RequestLogFields {
  orderId?: string;
}

const storage = new AsyncLocalStorage<RequestLogFields>();

/**
 * Opens an empty set of log fields for each HTTP request. Code handling the request fills it in
 * with `addRequestLogFields` as soon as it knows, say, the order id; the pino `mixin` (see
 * logger-options.ts) adds the fields to every line written from then on, including pino-http's
 * "request completed" line.
 */
@Injectable()
export class RequestLogContextMiddleware implements NestMiddleware {
  use(_req: unknown, _res: unknown, next: () => void): void {
    storage.run({}, next);
  }
}

/** Adds fields to the current request's log lines; does nothing outside a request. */
export function addRequestLogFields(fields: RequestLogFields): void {
  const current = storage.getStore();
  if (current) Object.assign(current, fields);
}

export function currentRequestLogFields(): RequestLogFields | undefined {
  return storage.getStore();
}
