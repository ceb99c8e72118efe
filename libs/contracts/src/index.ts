export { Headers, type HeaderName } from './lib/headers';
export { defineMessage, type DataOf, type JsonSchema, type MessageDefinition } from './lib/message-definition';
export { ALL_MESSAGES, ALL_TOPICS, COMPACTED_TOPICS, findMessage } from './lib/registry';
export { personalData } from './lib/personal-data';
export { PERSONAL, PERSONAL_KEYWORD } from './lib/schema-parts';
export * from './lib/messages';
export { registeredSchemaText, SchemaRegistryClient, SchemaRegistryError, subjectOf, SUBJECT_COMPATIBILITY, type RegisteredVersion, type SchemaRegistryClientOptions } from './lib/schema-registry';
export { registerSchemas, type Registration } from './lib/schema-registration';
export { TOPOLOGY, type ServiceMessages, type ServiceName } from './lib/topology';
