import type { JsonSchema } from './message-definition';
import { PERSONAL } from './schema-parts';

/** Field names that look like a customer's personal data: such a field must say whether it is (schema-parts' PERSONAL). */
const LOOKS_PERSONAL = /e-?mail|name|street|address|city|postal|zip|phone|birth/i;

type Node = Record<string, unknown>;

interface Walk {
  /** JSON paths of the fields marked personal (an object marked as a whole stands for all it holds). */
  personal: string[];
  /** JSON paths of the fields that look personal and carry no mark either way. */
  unmarked: string[];
}

function walk(schema: JsonSchema, path: string, name: string | undefined, into: Walk): void {
  const node = schema as Node;
  const mark = node[PERSONAL];
  if (mark === true) {
    into.personal.push(path);
    return;
  }
  if (mark === undefined && ((name !== undefined && LOOKS_PERSONAL.test(name)) || node['format'] === 'email')) into.unmarked.push(path);
  for (const [field, sub] of Object.entries((node['properties'] ?? {}) as Record<string, JsonSchema>)) walk(sub, `${path}.${field}`, field, into);
  if (node['items']) walk(node['items'] as JsonSchema, `${path}[]`, name, into);
}

/**
 * Where a message schema holds the customer's personal data, and which fields look personal but
 * are not marked either way (the schema gate wants none: a new personal field must be marked, so
 * whatever protects personal data finds it). Paths as `$.customer.email`, `$.lines[].name`.
 */
export function personalData(schema: JsonSchema): Walk {
  const result: Walk = { personal: [], unmarked: [] };
  walk(schema, '$', undefined, result);
  return result;
}
