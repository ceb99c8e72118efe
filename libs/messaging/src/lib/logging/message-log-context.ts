import { AsyncLocalStorage } from 'node:async_hooks';
import type { Envelope } from '../envelope/envelope';

/** Fields every log line carries while a message is being handled. */
export interface MessageLogFields {
  correlationId: string;
  messageId: string;
  messageType: string;
  /** Saga traffic is about one order; present when the message's data has an orderId. */
  orderId?: string;
}

const storage = new AsyncLocalStorage<MessageLogFields>();

/**
 * The message being handled, for the logger: the service's pino `mixin` reads it (see
 * libs/platform's logger options), so any log line written by a handler, however deep, names
 * the message, its correlation id and its order, next to the trace and span ids.
 */
export function currentMessageLogFields(): MessageLogFields | undefined {
  return storage.getStore();
}

export function runWithMessageLogFields<T>(envelope: Envelope, fn: () => Promise<T>): Promise<T> {
  return storage.run(messageLogFields(envelope), fn);
}

export function messageLogFields(envelope: Envelope): MessageLogFields {
  const orderId = (envelope.data as { orderId?: unknown } | null)?.orderId;
  return {
    correlationId: envelope.correlationId,
    messageId: envelope.id,
    messageType: envelope.type,
    ...(typeof orderId === 'string' ? { orderId } : {}),
  };
}
