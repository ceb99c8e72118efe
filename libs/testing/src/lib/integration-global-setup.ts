import { startInfra } from './infra';

/** Jest globalSetup for integration suites: the real Postgres and Kafka must be up. */
export default function integrationGlobalSetup(): void {
  startInfra(['postgres', 'kafka']);
}
