/**
 * The local identity provider (Keycloak through scripts/infra, the shop realm, npm run token),
 * checked against a real Keycloak that the suite starts on its own ports and stops. Not named
 * jest.config.cts: it is the project's `integration` target only (a jest.config.cts would become
 * the unit `test` target, which runs before any infrastructure).
 */
module.exports = require('../../jest.project.js')('identity-checks', __dirname, {
  tsconfig: 'tsconfig.json',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  testTimeout: 60_000,
});
