/** One registered version of a message type's schema, as the schema registry holds it. */
export interface RegisteredSchema {
  /** `<type>.v<version>` (libs/contracts subjectOf): one subject per message version. */
  subject: string;
  /** The subject's latest version in the registry, and its global id. */
  version: number;
  id: number;
  /** The JSON Schema, parsed. */
  schema: unknown;
}

/** GET /api/schemas/:type: the registered schemas of every version of a message type. */
export type MessageSchemasResult = { available: true; type: string; schemas: RegisteredSchema[] } | { available: false; reason: string };

/** A message type as the contracts name them (`order.confirmed`, `inventory.stock-reserved`): what the route accepts. */
export const MESSAGE_TYPE_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/**
 * The subjects of one message type among all the registry's subjects (`order.confirmed.v1`,
 * `order.confirmed.v2`, not `order.confirmed-late.v1`), oldest message version first.
 */
export function subjectsOfType(subjects: readonly string[], type: string): string[] {
  const version = (subject: string) => Number(subject.slice(type.length + 2));
  return subjects.filter((s) => s.startsWith(`${type}.v`) && /^\d+$/.test(s.slice(type.length + 2))).sort((a, b) => version(a) - version(b));
}
