/**
 * Shared jest config of the integration suites: real Postgres and Kafka (started by the
 * globalSetup through libs/infra, in-process), tests under <project>/test/integration, one at a time.
 * Each project's jest.integration.config.cts calls this with its name and directory.
 */
const { join } = require('path');

const project = require('./jest.project.js');

module.exports = (name, projectDir) =>
  project(`${name}:integration`, projectDir, {
    testMatch: ['<rootDir>/test/integration/**/*.spec.ts'],
    globalSetup: join(__dirname, 'libs/testing/src/lib/integration-global-setup.ts'),
    testTimeout: 120_000,
  });
