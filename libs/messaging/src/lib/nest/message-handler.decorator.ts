import { SetMetadata } from '@nestjs/common';
import type { MessageDefinition } from '@shop/contracts';

export const MESSAGE_HANDLER = Symbol('MESSAGE_HANDLER');

/**
 * Declares a provider method as the handler of one message type and version:
 *
 *   @MessageHandler(ReserveStockV1)
 *   async reserve(data: ReserveStockV1, ctx: MessageContext) { ... ctx.manager ... }
 *
 * or of several, when one method treats them alike (it tells them apart by `ctx.envelope.type`),
 * as @EventPattern of @nestjs/microservices takes a list of patterns:
 *
 *   @MessageHandler(...SAGA_REPLY_MESSAGES)
 *
 * MessagingModule finds these at boot and subscribes the service's consumer group to their topics.
 * The method runs inside the delivery's transaction (`ctx.manager`), after the inbox check.
 */
export const MessageHandler = (...definitions: Array<MessageDefinition<never>>): MethodDecorator => SetMetadata(MESSAGE_HANDLER, definitions);

/** The messages a class handles with @MessageHandler (what the runtime will subscribe it to). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function messageHandlersOf(target: Function): MessageDefinition[] {
  const proto = target.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(proto).flatMap((name) =>
    typeof proto[name] === 'function' ? ((Reflect.getMetadata(MESSAGE_HANDLER, proto[name] as object) as MessageDefinition[] | undefined) ?? []) : [],
  );
}
