/** Integration suite: real Postgres and Kafka (started by globalSetup), the built service as a process. */
module.exports = {
  displayName: 'inventory:integration',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/test/integration/**/*.spec.ts'],
  globalSetup: '<rootDir>/../../libs/testing/src/lib/integration-global-setup.ts',
  testTimeout: 120_000,
};
