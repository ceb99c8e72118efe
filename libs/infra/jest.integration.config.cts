// The integration suite starts and stops its own private infrastructure (temp run dir, free
// ports): no globalSetup bringing up the shared Postgres and Kafka.
module.exports = require('../../jest.project.js')('infra:integration', __dirname, {
  testMatch: ['<rootDir>/test/integration/**/*.spec.ts'],
  testTimeout: 300_000,
});
