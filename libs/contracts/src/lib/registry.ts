import type { MessageDefinition } from './message-definition';
import * as messages from './messages';
import { OrderWindowUpdatedV1, ProductCatalogUpdatedV1 } from './messages';

/** Every message the services exchange, at every version still published (all of ./messages). */
/**
 * Every message definition, by type then version: a fixed order whatever loads this module (a
 * module namespace lists its exports alphabetically under ESM, in source order under CommonJS),
 * so the generated docs are the same from jest, tsx or a build.
 */
export const ALL_MESSAGES: readonly MessageDefinition[] = (Object.values(messages) as readonly MessageDefinition<never>[] as readonly MessageDefinition[])
  .slice()
  .sort((a, b) => (a.type === b.type ? a.version - b.version : a.type < b.type ? -1 : 1));

const byTypeAndVersion = new Map(ALL_MESSAGES.map((m) => [`${m.type}@${m.version}`, m]));

/** The definition for a wire type and version, or undefined if this build does not know it. */
export function findMessage(type: string, version: number): MessageDefinition | undefined {
  return byTypeAndVersion.get(`${type}@${version}`);
}

/** Every topic a message travels on. */
export const ALL_TOPICS: readonly string[] = [...new Set(ALL_MESSAGES.map((m) => m.topic))].sort();

/**
 * Topics that keep only the latest message per key (Kafka `cleanup.policy=compact`): the catalog,
 * which a new consumer reads from the start to get every product's current state, and the
 * analytics windows, which the analytics service reads back at start to resume. Services
 * create them so at boot; the AsyncAPI document and docker-compose's topic initialiser say so too.
 */
export const COMPACTED_TOPICS: readonly string[] = [ProductCatalogUpdatedV1.topic, OrderWindowUpdatedV1.topic];
