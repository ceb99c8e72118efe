/**
 * Shared jest config of the Pact contract suites (<project>/test/contract): no infrastructure.
 * Consumer tests (*.consumer.spec.ts) write pacts/<consumer>-<provider>.json; provider tests
 * (*.provider.spec.ts) verify every pact that names the project. scripts/test.sh runs all
 * consumers first, then all providers.
 */
const base = require('./jest.preset.js');

module.exports = (name, projectDir) => ({
  ...base,
  displayName: `${name}:contract`,
  rootDir: projectDir,
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/test/contract/**/*.spec.ts'],
  testTimeout: 60_000,
});
