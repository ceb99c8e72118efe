import type { JsonSchema, MessageDefinition } from './message-definition';

/**
 * The message schemas in a Confluent-compatible schema registry (locally Apicurio Registry's
 * `/apis/ccompat/v7`; see scripts/infra/README.md). Plain `fetch` over the registry's REST API:
 * the five calls needed here are simpler than a client library, whose value (the Confluent wire
 * format: a magic byte and schema id before each payload) the shop does not use, since its
 * messages are CloudEvents in binary mode with plain JSON data.
 *
 * Subjects: one per message type and version, `<type>.v<version>` (e.g. `order.confirmed.v1`, the
 * same name as the published file `schemas/order.confirmed.v1.json`). Not the topic-name strategy
 * (`<topic>-value`): several types share a topic. Not one subject per type: a breaking change here
 * is a new version beside the old one (order publishes order.confirmed v1 and v2 side by side),
 * which a subject's compatibility rule would refuse as the next version of the same subject.
 * Within a subject a version only evolves compatibly, so each subject is BACKWARD: the level
 * whose accepted changes are the ones the local gate (compatibility.ts) accepts, new optional
 * fields and looser constraints, given that consumers drop fields they do not know.
 */
export const SUBJECT_COMPATIBILITY = 'BACKWARD';

export function subjectOf(
  message: Pick<MessageDefinition, 'type' | 'version'>,
): string {
  return `${message.type}.v${message.version}`;
}

/**
 * The text registered for a schema: the local schema without its `$schema` keyword, as
 * indented JSON. Apicurio 3.3.3's compatibility checker knows JSON Schema drafts 4 to 7 only
 * (a 2020-12 `$schema` makes every check fail with "#: could not determine version"); the
 * contracts use only keywords that mean the same in every draft from 4 to 2020-12, which
 * schema-registry.spec.ts enforces, so the registered schema validates exactly what the local
 * one does.
 */
export function registeredSchemaText(schema: JsonSchema): string {
  const { $schema: _dialect, ...rest } = schema as Record<string, unknown>;
  return JSON.stringify(rest, null, 2);
}

/** A refusal or failure from the registry, with its own message and error code. */
export class SchemaRegistryError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly registryMessage: string,
    readonly errorCode?: number,
  ) {
    super(
      `${operation}: the schema registry answered ${status}${errorCode ? ` (error ${errorCode})` : ''}: ${registryMessage}`,
    );
    this.name = 'SchemaRegistryError';
  }
}

export interface RegisteredVersion {
  subject: string;
  id: number;
  version: number;
  schema: string;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

export interface SchemaRegistryClientOptions {
  /**
   * Tries per call when the registry does not answer (refused, reset or over 10 s; default 1).
   * The calls are idempotent (the same schema gets the same id), so an init job that registers
   * can try again while a registry under load catches up; an answer, even an error, is final.
   */
  attempts?: number;
  /** Wait before the second try, doubled for each further one (default 1000 ms). */
  retryDelayMs?: number;
}

/** The few calls of the Confluent Schema Registry REST API the shop needs. */
export class SchemaRegistryClient {
  private readonly attempts: number;
  private readonly retryDelayMs: number;

  /** @param baseUrl the API root, e.g. `http://127.0.0.1:8081/apis/ccompat/v7` (SCHEMA_REGISTRY_URL) */
  constructor(
    readonly baseUrl: string,
    options: SchemaRegistryClientOptions = {},
  ) {
    if (!/^https?:\/\/[^/]+/.test(baseUrl))
      throw new Error(
        `schema registry URL must be http(s)://host[:port]/path, got "${baseUrl}"`,
      );
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.attempts = options.attempts ?? 1;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
  }

  /** The URL of one version of a subject: what a message's CloudEvents `dataschema` names. */
  versionUrl(subject: string, version: number): string {
    return `${this.baseUrl}/subjects/${encodeURIComponent(subject)}/versions/${version}`;
  }

  async setCompatibility(subject: string, level: string): Promise<void> {
    await this.call(
      'PUT',
      `/config/${encodeURIComponent(subject)}`,
      `set ${subject}'s compatibility to ${level}`,
      { compatibility: level },
    );
  }

  /** The subject's own compatibility level, or null when it has none (the registry's default applies). */
  async compatibilityOf(subject: string): Promise<string | null> {
    const body = await this.call<{ compatibilityLevel?: string }>(
      'GET',
      `/config/${encodeURIComponent(subject)}`,
      `read ${subject}'s compatibility`,
      undefined,
      [404],
    );
    return body?.compatibilityLevel ?? null;
  }

  /** Registers the schema as the subject's next version (or returns the existing one); a 409 means incompatible. */
  async register(subject: string, schema: string): Promise<{ id: number }> {
    const body = await this.call<{ id: number }>(
      'POST',
      `/subjects/${encodeURIComponent(subject)}/versions`,
      `register ${subject}`,
      { schemaType: 'JSON', schema },
    );
    return body as { id: number };
  }

  /** The version of the subject with exactly this schema, or null (subject or schema not found). */
  async lookup(
    subject: string,
    schema: string,
  ): Promise<RegisteredVersion | null> {
    return this.call<RegisteredVersion>(
      'POST',
      `/subjects/${encodeURIComponent(subject)}`,
      `look up ${subject}`,
      { schemaType: 'JSON', schema },
      [404],
    );
  }

  /** The subject's latest version, or null when the subject does not exist. */
  async latest(subject: string): Promise<RegisteredVersion | null> {
    return this.call<RegisteredVersion>(
      'GET',
      `/subjects/${encodeURIComponent(subject)}/versions/latest`,
      `read ${subject}`,
      undefined,
      [404],
    );
  }

  /** Would the registry accept this schema as the subject's next version, under its compatibility rule? */
  async isCompatible(subject: string, schema: string): Promise<boolean> {
    const body = await this.call<{ is_compatible: boolean }>(
      'POST',
      `/compatibility/subjects/${encodeURIComponent(subject)}/versions/latest`,
      `check ${subject}'s compatibility`,
      {
        schemaType: 'JSON',
        schema,
      },
    );
    return body?.is_compatible === true;
  }

  async subjects(): Promise<string[]> {
    return (
      (await this.call<string[]>('GET', '/subjects', 'list subjects')) ?? []
    );
  }

  /** One request; answers with a status in `absentOn` give null, other non-2xx answers throw the registry's message. */
  private async call<T>(
    method: string,
    path: string,
    operation: string,
    body?: unknown,
    absentOn: number[] = [],
  ): Promise<T | null> {
    let res: Response | undefined;
    for (let attempt = 1; !res; attempt++) {
      try {
        res = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers:
            body === undefined
              ? { Accept: CONTENT_TYPE }
              : { Accept: CONTENT_TYPE, 'Content-Type': CONTENT_TYPE },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
      } catch (error) {
        if (attempt < this.attempts) {
          await new Promise((r) => setTimeout(r, this.retryDelayMs * 2 ** (attempt - 1)));
          continue;
        }
        const cause = (error as { cause?: { code?: string; message?: string } })
          .cause;
        const why = cause?.code ?? cause?.message ?? (error as Error).message;
        const tries = this.attempts > 1 ? `, ${this.attempts} tries` : '';
        throw new Error(
          `${operation}: cannot reach the schema registry at ${this.baseUrl} (${why}${tries}); start it with scripts/infra/infra.sh start registry or set SCHEMA_REGISTRY_URL`,
        );
      }
    }
    const text = await res.text();
    if (absentOn.includes(res.status)) return null;
    if (!res.ok) {
      let message = text;
      let errorCode: number | undefined;
      try {
        const parsed = JSON.parse(text) as {
          message?: string;
          error_code?: number;
        };
        message = parsed.message ?? text;
        errorCode = parsed.error_code;
      } catch {
        // not JSON: keep the raw text
      }
      throw new SchemaRegistryError(operation, res.status, message, errorCode);
    }
    return (text ? JSON.parse(text) : null) as T;
  }
}
