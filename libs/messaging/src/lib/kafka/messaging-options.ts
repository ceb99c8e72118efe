export interface MessagingModuleOptions {
  /** Used as the Kafka client id and as the `source` of the messages this service publishes. */
  service: string;
  brokers: string[];
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
