/** The three-broker, two-replica topology under faults (src/cluster.spec.ts): `npx nx run shop-e2e:cluster`. */
module.exports = require('../../jest.project.js')('shop-e2e-cluster', __dirname, {
  tsconfig: 'tsconfig.json',
  testMatch: ['<rootDir>/src/cluster.spec.ts'],
  testTimeout: 300_000,
});
