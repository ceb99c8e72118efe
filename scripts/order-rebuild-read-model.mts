// `npm run order:rebuild-read-model` (after `nx build order`): runs the built order service's
// `--rebuild-read-model` against the local infrastructure, as the order service signs in: its own
// Postgres role and Kafka principal, over TLS verified against the local CA (libs/infra's endpoints).
// Each of DATABASE_URL, KAFKA_BROKERS, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and
// KAFKA_SECURITY_PROTOCOL set in the environment wins (e.g. a deployed database).
import { spawnSync } from 'node:child_process';
import { endpoints } from '../libs/infra/src/index.ts';

const local = endpoints(process.env);
const { username, password } = local.kafka.credentials('order');
const env: NodeJS.ProcessEnv = { ...process.env };
// Without KAFKA_SECURITY_PROTOCOL, the local infrastructure's: SASL_SSL with its CA trusted
// (NODE_EXTRA_CA_CERTS); with it, as given (Node's CAs and the caller's NODE_EXTRA_CA_CERTS).
if (env.KAFKA_SECURITY_PROTOCOL === undefined) Object.assign(env, local.processEnv);
env.DATABASE_URL ??= local.postgres.serviceUrl('order');
env.KAFKA_BROKERS ??= local.kafka.brokers;
env.KAFKA_SASL_USERNAME ??= username;
env.KAFKA_SASL_PASSWORD ??= password;
// The service's settings check wants an issuer; the rebuild itself verifies no token.
env.OIDC_ISSUER ??= local.keycloak.issuer;
env.OTEL_SDK_DISABLED ??= 'true';
const run = spawnSync(process.execPath, ['dist/apps/order/main.js', '--rebuild-read-model'], { stdio: 'inherit', env });
process.exit(run.status ?? 1);
