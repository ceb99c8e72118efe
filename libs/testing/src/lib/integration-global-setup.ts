import { resolve } from 'node:path';
// Jest loads a globalSetup with Node's own module resolution, not the workspace path mapping that
// test files get (Nx's jest resolver): so libs/infra by its path here, as `@shop/infra` elsewhere.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { infraContext, start } from '../../../infra/src';

/** Jest globalSetup for integration suites: the real Postgres and Kafka must be up (libs/infra, in-process). */
export default async function integrationGlobalSetup(): Promise<void> {
  await start(await infraContext({ env: process.env, cwd: resolve(__dirname, '../../../..') }), ['postgres', 'kafka']);
}
