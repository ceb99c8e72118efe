/**
 * Shared jest config of the Pact contract suites (<project>/test/contract): no infrastructure.
 * Consumer tests (*.consumer.spec.ts) write pacts/<consumer>-<provider>.json; provider tests
 * (*.provider.spec.ts) verify every pact that names the project. scripts/test.sh runs all
 * consumers first, then all providers.
 */
const project = require('./jest.project.js');

module.exports = (name, projectDir) =>
  project(`${name}:contract`, projectDir, {
    testMatch: ['<rootDir>/test/contract/**/*.spec.ts'],
    testTimeout: 60_000,
  });
