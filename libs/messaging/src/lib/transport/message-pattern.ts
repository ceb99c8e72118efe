import type { MessageDefinition } from '@shop/contracts';

/**
 * The Nest pattern of a message, `<wire type>@<version>` (e.g. `inventory.reserve-stock@1`):
 *
 *   @EventPattern(patternOf(ReserveStockV1))
 *   async reserve(@Payload() command: ReserveStockV1, @Ctx() ctx: MessageContext) { ... }
 *
 * The transport looks the pattern up in the contracts to know the topic and the schema.
 */
export function patternOf(definition: Pick<MessageDefinition<unknown>, 'type' | 'version'>): string {
  return `${definition.type}@${definition.version}`;
}
