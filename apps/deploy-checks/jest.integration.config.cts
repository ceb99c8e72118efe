/**
 * Offline validation of the packaging (compose, Helm chart, alert rules) with the real validators.
 * Not named jest.config.cts on purpose: the validators are provisioned after the unit stage, so
 * this suite is the project's `integration` target only (Nx's jest plugin would make a
 * jest.config.cts the `test` target, which runs before provisioning).
 */
module.exports = require('../../jest.project.js')('deploy-checks', __dirname, {
  tsconfig: 'tsconfig.json',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  testTimeout: 120_000,
});
