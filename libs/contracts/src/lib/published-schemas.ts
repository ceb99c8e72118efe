import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { breakingChanges } from './compatibility';
import type { JsonSchema, MessageDefinition } from './message-definition';

/**
 * The published JSON Schema of every message version, one file each in libs/contracts/schemas
 * (`<type>.v<version>.json`). Once published, a version may only change compatibly; the test in
 * published-schemas.spec.ts holds every current schema to its file, and `npm run contracts:publish`
 * writes new versions and compatible updates (and refuses breaking ones).
 */
export const SCHEMA_DIR = resolve(__dirname, '../../schemas');

export function schemaFile(definition: Pick<MessageDefinition<unknown>, 'type' | 'version'>): string {
  return join(SCHEMA_DIR, `${definition.type}.v${definition.version}.json`);
}

export function readPublished(definition: Pick<MessageDefinition<unknown>, 'type' | 'version'>): JsonSchema | null {
  const file = schemaFile(definition);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as JsonSchema) : null;
}

export function publishedFiles(): string[] {
  return readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json'));
}

export interface PublishResult {
  written: string[];
  unchanged: string[];
  refused: Array<{ message: string; problems: string[] }>;
}

/** Writes the schemas of new versions and compatible changes; refuses breaking changes (writes nothing for those). */
export function publishSchemas(messages: readonly MessageDefinition[]): PublishResult {
  const result: PublishResult = { written: [], unchanged: [], refused: [] };
  for (const m of messages) {
    const name = `${m.type} v${m.version}`;
    const published = readPublished(m);
    const text = `${JSON.stringify(m.schema, null, 2)}\n`;
    if (published && JSON.stringify(published) === JSON.stringify(m.schema)) {
      result.unchanged.push(name);
      continue;
    }
    const problems = published ? breakingChanges(published, m.schema) : [];
    if (problems.length > 0) {
      result.refused.push({ message: name, problems });
      continue;
    }
    writeFileSync(schemaFile(m), text);
    result.written.push(name);
  }
  return result;
}
