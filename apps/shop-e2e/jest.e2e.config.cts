/** End-to-end: drives the shop the way a user does (npm run shop, HTTP), on its own ports. */
module.exports = require('../../jest.project.js')('shop-e2e', __dirname, {
  tsconfig: 'tsconfig.json',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // The three-broker topology has its own target (shop-e2e:cluster, jest.cluster.config.cts): not in npm test, for its cost (README).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/src/cluster\\.spec\\.ts$'],
  testTimeout: 300_000,
});
