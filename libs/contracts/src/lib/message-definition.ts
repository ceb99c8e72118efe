import type { FromSchema, JSONSchema } from 'json-schema-to-ts';

/** A JSON Schema (draft 2020-12) as a plain object. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * A message's data schema as written: a literal (`as const`) object JSON Schema, from which the
 * data type is derived.
 */
export type MessageSchema = JsonSchema & Exclude<JSONSchema, boolean>;

/**
 * One integration message at one version: its wire type, the topic it travels on, the JSON
 * Schema of its data and how to find its Kafka key (the aggregate id, so one aggregate's
 * messages stay in order on one partition). A breaking change is a new version, never an edit.
 * `S` is the schema's literal type, kept so that the data type `T` can be checked against it.
 */
export interface MessageDefinition<T = unknown, S extends JsonSchema = JsonSchema> {
  /** Wire type, `<service>.<name>`: the CloudEvents `type` attribute (ce_type). */
  readonly type: string;
  /** Schema version of the data (ce_dataversion). */
  readonly version: number;
  readonly kind: 'event' | 'command';
  readonly topic: string;
  /** The service that publishes it (events) or handles it (commands). */
  readonly owner: string;
  readonly description: string;
  readonly schema: S;
  readonly key: (data: T) => string;
}

/**
 * A message definition whose data type is its schema's: the schema is the one source. `NoInfer`
 * makes the compiler take S from `schema` alone; inferring it back through FromSchema from the
 * `key` function fails (TS2589, instantiation excessively deep). The implementation signature
 * is separate for the same reason: checking the frozen object against the generic FromSchema
 * type fails alike.
 */
export function defineMessage<const S extends MessageSchema>(
  definition: MessageDefinition<NoInfer<FromSchema<S>>, S>,
): MessageDefinition<FromSchema<S>, S>;
export function defineMessage(definition: MessageDefinition<never>): MessageDefinition<never> {
  return Object.freeze(definition);
}

/** The data type carried by a message definition. */
export type DataOf<M> = M extends MessageDefinition<infer T> ? T : never;
