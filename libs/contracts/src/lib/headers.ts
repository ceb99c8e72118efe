/**
 * Kafka header names. Messages follow CloudEvents 1.0 in Kafka binary mode: the event's
 * attributes travel as `ce_*` headers and the value is the JSON data.
 */
export const Headers = {
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  specVersion: 'ce_specversion',
  time: 'ce_time',
  subject: 'ce_subject',
  contentType: 'content-type',
  /**
   * Which schema the data follows: the schema registry URL of the subject version
   * (`<registry>/subjects/<type>.v<version>/versions/<n>`), set when the service runs with a registry.
   */
  dataSchema: 'ce_dataschema',
  /** Extension attributes (CloudEvents allows lowercase alphanumerics only). */
  dataVersion: 'ce_dataversion',
  correlationId: 'ce_correlationid',
  causationId: 'ce_causationid',
  /** W3C trace context, so a consumer continues the producer's trace. */
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;

export type HeaderName = (typeof Headers)[keyof typeof Headers];
