/** A JSON Schema (draft 2020-12) as a plain object. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * One integration message at one version: its wire type, the topic it travels on, the JSON
 * Schema of its data and how to find its Kafka key (the aggregate id, so one aggregate's
 * messages stay in order on one partition). A breaking change is a new version, never an edit.
 */
export interface MessageDefinition<T = unknown> {
  /** Wire type, `<service>.<name>`: the CloudEvents `type` attribute (ce_type). */
  readonly type: string;
  /** Schema version of the data (ce_dataversion). */
  readonly version: number;
  readonly kind: 'event' | 'command';
  readonly topic: string;
  /** The service that publishes it (events) or handles it (commands). */
  readonly owner: string;
  readonly description: string;
  readonly schema: JsonSchema;
  readonly key: (data: T) => string;
}

export function defineMessage<T>(definition: MessageDefinition<T>): MessageDefinition<T> {
  return Object.freeze(definition);
}

/** The data type carried by a message definition. */
export type DataOf<M> = M extends MessageDefinition<infer T> ? T : never;
