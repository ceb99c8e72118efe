import type { MessageDefinition } from './message-definition';
import * as messages from './messages';

/** Every message the services exchange, at every version still published (all of ./messages). */
export const ALL_MESSAGES: readonly MessageDefinition[] = Object.values(messages) as readonly MessageDefinition<never>[] as readonly MessageDefinition[];

const byTypeAndVersion = new Map(ALL_MESSAGES.map((m) => [`${m.type}@${m.version}`, m]));

/** The definition for a wire type and version, or undefined if this build does not know it. */
export function findMessage(type: string, version: number): MessageDefinition | undefined {
  return byTypeAndVersion.get(`${type}@${version}`);
}

/** Every topic a message travels on. */
export const ALL_TOPICS: readonly string[] = [...new Set(ALL_MESSAGES.map((m) => m.topic))].sort();
