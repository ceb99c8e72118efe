import type { JsonSchema } from './message-definition';

/**
 * Is `current` a compatible evolution of the `published` schema of the same message version?
 * Consumers built against the published schema must keep working with messages built against
 * the current one, and consumers read tolerantly (unknown fields are dropped before validation,
 * see MessageValidator), so:
 * - allowed: new optional fields; looser constraints;
 * - breaking: a field removed, its type changed, an optional field made required (or a new
 *   required one), narrower constraints (pattern, enum, bounds, format).
 * A breaking change needs a new version of the message (a new file, `<name>.v2.ts`).
 * Returns one line per breaking change, naming the field by its JSON path.
 */
export function breakingChanges(published: JsonSchema, current: JsonSchema, path = '$'): string[] {
  const problems: string[] = [];
  const p = published as Record<string, unknown>;
  const c = current as Record<string, unknown>;

  if (JSON.stringify(p['type']) !== JSON.stringify(c['type'])) {
    problems.push(`${path}: type changed from ${JSON.stringify(p['type'])} to ${JSON.stringify(c['type'])}`);
    return problems;
  }
  for (const key of ['pattern', 'format'] as const) {
    if (c[key] !== undefined && c[key] !== p[key]) problems.push(`${path}: ${key} changed from ${JSON.stringify(p[key])} to ${JSON.stringify(c[key])}`);
  }
  for (const key of ['minimum', 'minLength', 'minItems', 'exclusiveMinimum'] as const) {
    if (typeof c[key] === 'number' && (typeof p[key] !== 'number' || (c[key] as number) > (p[key] as number))) {
      problems.push(`${path}: ${key} raised from ${p[key] ?? 'none'} to ${c[key]}`);
    }
  }
  for (const key of ['maximum', 'maxLength', 'maxItems', 'exclusiveMaximum'] as const) {
    if (typeof c[key] === 'number' && (typeof p[key] !== 'number' || (c[key] as number) < (p[key] as number))) {
      problems.push(`${path}: ${key} lowered from ${p[key] ?? 'none'} to ${c[key]}`);
    }
  }
  if (Array.isArray(c['enum'])) {
    const allowed = new Set((c['enum'] as unknown[]).map((v) => JSON.stringify(v)));
    const dropped = Array.isArray(p['enum']) ? (p['enum'] as unknown[]).filter((v) => !allowed.has(JSON.stringify(v))) : ['(any value)'];
    if (dropped.length > 0) problems.push(`${path}: enum no longer allows ${dropped.map((v) => JSON.stringify(v)).join(', ')}`);
  }

  const pProps = (p['properties'] ?? {}) as Record<string, JsonSchema>;
  const cProps = (c['properties'] ?? {}) as Record<string, JsonSchema>;
  const pRequired = new Set((p['required'] ?? []) as string[]);
  const cRequired = new Set((c['required'] ?? []) as string[]);
  for (const name of Object.keys(pProps)) {
    if (!(name in cProps)) problems.push(`${path}.${name}: removed`);
    else problems.push(...breakingChanges(pProps[name], cProps[name], `${path}.${name}`));
  }
  for (const name of cRequired) {
    if (!pRequired.has(name)) problems.push(`${path}.${name}: ${name in pProps ? 'was optional, is now required' : 'new required field'}`);
  }
  if (p['items'] && c['items']) problems.push(...breakingChanges(p['items'] as JsonSchema, c['items'] as JsonSchema, `${path}[]`));
  return problems;
}
