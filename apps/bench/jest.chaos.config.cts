/** The short form of `npm run chaos` (apps/bench/test/chaos.spec.ts): a private shop through every fault. */
module.exports = require('../../jest.project.js')('chaos', __dirname, {
  tsconfig: 'tsconfig.json',
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  testTimeout: 300_000,
});
