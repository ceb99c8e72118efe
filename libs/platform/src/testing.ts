/** Test helpers for integration suites. Never imported by production code. */
export { infra, queryDatabase, recreateDatabase, repoRoot, startInfra, stopInfra, type InfraComponent } from './testing/infra';
export { httpGet, startServiceProcess, waitFor, type HttpResult, type ServiceProcess } from './testing/service-process';
export { describeServiceBoot } from './testing/service-boot-suite';
