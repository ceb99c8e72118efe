import type { JsonSchema, MessageDefinition } from './message-definition';
import { readPublished } from './published-schemas';
import {
  registeredSchemaText,
  SchemaRegistryClient,
  SchemaRegistryError,
  subjectOf,
  SUBJECT_COMPATIBILITY,
} from './schema-registry';

export interface Registration {
  subject: string;
  outcome: 'registered' | 'unchanged' | 'refused';
  id?: number;
  version?: number;
  /** For a refusal: the registry's own message (e.g. "... Subschema type changed at /properties/totalCents"). */
  problem?: string;
}

/**
 * `npm run contracts:register`: every message version's schema under its subject, each subject
 * set to BACKWARD first so that the registry itself refuses an incompatible schema. Idempotent:
 * a schema already registered is reported `unchanged` with its id and version.
 */
export async function registerSchemas(
  client: SchemaRegistryClient,
  messages: readonly MessageDefinition[],
  schemaOf: (m: MessageDefinition) => JsonSchema = (m) => m.schema,
): Promise<Registration[]> {
  const results: Registration[] = [];
  for (const m of messages) {
    const subject = subjectOf(m);
    const schema = registeredSchemaText(schemaOf(m));
    await client.setCompatibility(subject, SUBJECT_COMPATIBILITY);
    const existing = await client.lookup(subject, schema);
    if (existing) {
      results.push({
        subject,
        outcome: 'unchanged',
        id: existing.id,
        version: existing.version,
      });
      continue;
    }
    try {
      await client.register(subject, schema);
    } catch (error) {
      if (error instanceof SchemaRegistryError && error.status === 409) {
        results.push({
          subject,
          outcome: 'refused',
          problem: error.registryMessage,
        });
        continue;
      }
      throw error;
    }
    const registered = await client.lookup(subject, schema);
    if (!registered)
      throw new Error(
        `${subject}: registered, but the registry does not find the schema afterwards`,
      );
    results.push({
      subject,
      outcome: 'registered',
      id: registered.id,
      version: registered.version,
    });
  }
  return results;
}

export interface RegistryVerdict {
  subject: string;
  /** The registry's own message for the refusal. */
  problem: string;
}

/**
 * The schema gate, asked of a real registry: the published schema of every message version
 * (schemas/<type>.v<N>.json, what consumers were built against) is registered under its subject
 * with BACKWARD, then each current schema that differs from its published one is checked with
 * the registry's compatibility endpoint; an incompatible one is offered for registration so that
 * the answer carries the registry's own explanation (the ccompat compatibility endpoint of
 * Apicurio says only `is_compatible: false`). A refused registration changes nothing, and a
 * compatible change is not registered, so the gate leaves the registry holding the published
 * schemas only. Meant for a registry the caller owns (the integration test starts its own).
 * New versions (no published file yet) have nothing to be compatible with and are skipped.
 */
export async function registryBreakingChanges(
  client: SchemaRegistryClient,
  messages: readonly MessageDefinition[],
): Promise<RegistryVerdict[]> {
  const verdicts: RegistryVerdict[] = [];
  for (const m of messages) {
    const published = readPublished(m);
    if (!published) continue;
    const subject = subjectOf(m);
    const publishedText = registeredSchemaText(published);
    const currentText = registeredSchemaText(m.schema);
    await client.setCompatibility(subject, SUBJECT_COMPATIBILITY);
    if (!(await client.lookup(subject, publishedText)))
      await client.register(subject, publishedText);
    if (
      currentText === publishedText ||
      (await client.isCompatible(subject, currentText))
    )
      continue;
    try {
      await client.register(subject, currentText);
    } catch (error) {
      if (error instanceof SchemaRegistryError && error.status === 409) {
        verdicts.push({ subject, problem: error.registryMessage });
        continue;
      }
      throw error;
    }
    throw new Error(
      `${subject}: the registry said the schema is incompatible, then accepted it as a new version`,
    );
  }
  return verdicts;
}
