// A delivery's trace: its CONSUMER span, a child of the publish that sent it (from the Kafka
// headers), and its work run inside that span with the message's fields in every log line.
import { context, propagation, SpanKind, trace, type Context, type Span } from '@opentelemetry/api';
import { headerStrings } from '../envelope/envelope';
import { messageLogFields, runWithMessageLogFields } from '../logging/message-log-context';
import type { OurDelivery } from './delivery';

const tracer = trace.getTracer('@shop/messaging');

export interface Traced {
  delivery: OurDelivery;
  span: Span;
  context: Context;
}

/** Starts the delivery's span; `batchSize`: the deliveries of its batch transaction. The caller ends it. */
export function startDeliverySpan(d: OurDelivery, group: string, batchSize: number): Traced {
  const { topic, envelope, message } = d;
  const parent = propagation.extract(context.active(), headerStrings(message));
  const fields = messageLogFields(envelope);
  const span = tracer.startSpan(
    `${topic} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': topic,
        'messaging.consumer.group.name': group,
        'messaging.message.id': envelope.id,
        'messaging.message.type': envelope.type,
        'messaging.kafka.message.key': envelope.subject,
        'messaging.kafka.offset': Number(message.offset),
        'messaging.batch.message_count': batchSize,
        'shop.correlation_id': envelope.correlationId,
        ...(envelope.causationId ? { 'shop.causation_id': envelope.causationId } : {}),
        ...(fields.orderId ? { 'shop.order_id': fields.orderId } : {}),
      },
    },
    parent,
  );
  return { delivery: d, span, context: trace.setSpan(parent, span) };
}

/** Runs `fn` with the delivery's span active and its fields in every log line. */
export function withinDelivery<T>(t: Traced, fn: () => Promise<T>): Promise<T> {
  return context.with(t.context, () => runWithMessageLogFields(t.delivery.envelope, fn));
}
