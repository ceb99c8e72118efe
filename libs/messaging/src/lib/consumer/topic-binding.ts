import type { MessageDefinition } from '@shop/contracts';
import { PoisonMessageError } from '../errors';

/**
 * A message type is accepted only on the topic its contract names (libs/contracts' topology).
 * Topic ACLs say who may write where, and only there: a type arriving on another topic was
 * written by a principal that does not own it (payment's principal publishing a catalog update
 * on payment.events, which order also reads). Throws PoisonMessageError FORGED.
 */
export function assertOnItsTopic(definition: Pick<MessageDefinition, 'type' | 'version' | 'topic'>, topic: string): void {
  if (definition.topic !== topic) {
    throw new PoisonMessageError('FORGED', `${definition.type}@${definition.version} travels only on ${definition.topic}, not on ${topic}`);
  }
}
