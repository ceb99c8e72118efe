export { PlatformModule, type PlatformModuleOptions } from './lib/platform.module';
export { ADMIN_ROLE, CurrentPrincipal, isAdmin, Public, RequireRoles, type Principal } from './lib/auth/principal';
export { bootstrapService, type ServiceAddress } from './lib/bootstrap';
export { ConfigError, loadConfig, loadConfigOrExit } from './lib/config/load-config';
export {
  booleanSetting,
  breakerSettings,
  fractionSetting,
  nonNegativeIntSetting,
  kafkaBrokersSetting,
  kafkaSecurityProtocolSetting,
  logLevelSetting,
  portSetting,
  positiveIntSetting,
  postgresUrlSetting,
  urlSetting,
  serviceConfigSchema,
  streamServiceConfigSchema,
  type ServiceConfig,
  type StreamServiceConfig,
} from './lib/config/service-config';
export { READINESS_CHECKS, type ReadinessChecks } from './lib/health/health.controller';
export { ProblemDetailsFilter, type ProblemDetails } from './lib/http/problem-details.filter';
export { DomainError, type DomainErrorKind } from './errors';
export { execute, select, type Executed } from './lib/database/execute';
export { IDEMPOTENCY_KEY_FORMAT, IdempotencyStore, MIN_IDEMPOTENCY_KEY_RETENTION_MS, type IdempotencyStoreOptions, type StoredResponse } from './lib/idempotency/idempotency-store';
export { CreateIdempotencyKeys1764000500000 } from './lib/idempotency/idempotency-key.migration';
export { IndexIdempotencyKeyCreatedAt1764001100000 } from './lib/idempotency/idempotency-key-created-at.migration';
export { canonicalJson, requestHash } from './lib/idempotency/canonical-json';
export { FaultSwitch, SimulatedFault, faultSettingsSchema, type FaultSettings } from './lib/faults/fault-switch';
export { validate } from './lib/http/validate';
export { nonBlankText, storableString } from './lib/http/storable-text';
export { ApiJsonResponse, ApiProblemResponses, openApiSchema, problemDetailsSchema } from './lib/http/openapi';
export { ServiceOpenApi, WRITE_OPENAPI_FLAG, type ServiceOpenApiOptions } from './lib/http/service-openapi';
export { afterCommit, AfterCommitSubscriber } from './lib/database/after-commit';
export { runMigrationsOnly } from './lib/database/run-migrations';
export { REGISTER_SCHEMAS_FLAG, registerSchemasOnly, registrationRequested, type RegistrationOutput } from './lib/schema-registry/register-schemas-only';
export { addRequestLogFields, type RequestLogFields } from './lib/logging/request-log-context';
export { BackgroundWorker, type WorkResult, type WorkerSettings } from './lib/workers/background-worker';
export { WorkerRuntime } from './lib/workers/worker-runtime';
export { claimDueRows, type ClaimDueRowsOptions } from './lib/workers/claim-due-rows';
export { PERSONAL_DATA_LOG_PATHS, withoutEmailAddresses } from './lib/logging/personal-data';
export { keyIdOf, kekFromBase64, newDataKey, openField, sealField, unwrapKey, wrapKey, type DataKey } from './lib/crypto/data-key-cipher';
