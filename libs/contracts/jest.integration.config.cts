// The contracts' integration suite: against a real schema registry, which the suite starts itself
// on private ports (scripts/infra/infra.sh start registry). No Postgres or Kafka needed, so not
// the shared integration preset (whose global setup starts them).
module.exports = require('../../jest.project.js')(
  'contracts:integration',
  __dirname,
  {
    testMatch: ['<rootDir>/test/integration/**/*.spec.ts'],
    testTimeout: 120_000,
  },
);
