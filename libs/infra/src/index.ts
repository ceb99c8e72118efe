export type { Component, ComponentName } from './lib/component';
export { COMPONENTS, COMPONENT_NAMES, DEFAULT_COMPONENTS, component } from './lib/components';
export { kafkaNodes, quorumVoters, type KafkaNode } from './lib/components/kafka-cluster';
export { infraContext, type InfraContext, type InfraOptions, type Layout } from './lib/context';
export { logs, start, status, stop, type ComponentState, type ComponentStatus } from './lib/infra';
export type { PortSetting } from './lib/settings';
export { InfraError, progressLogger, type Logger } from './lib/toolkit/log';
