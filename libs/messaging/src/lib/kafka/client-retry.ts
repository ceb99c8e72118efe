import type { RetryOptions } from 'kafkajs';

/**
 * How the shop's Kafka clients (relay producers, consumers) retry a broker that does not
 * answer: kafkajs' default backoff grows to 30 s, so after an outage a client could sleep half
 * a minute more before it noticed the broker was back, and a saga's replies with it (the order's
 * deadlines give a participant one step timeout, 10 s, from the moment Kafka answers again).
 * Capped at 5 s, every client tries again within 5 s of the broker's return. A consumer whose
 * retries run out crashes and kafkajs restarts it after the last wait, so the cap bounds that too.
 */
export const KAFKA_CLIENT_RETRY: RetryOptions = { initialRetryTime: 300, maxRetryTime: 5_000, retries: 8 };
