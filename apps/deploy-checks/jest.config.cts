/** Offline validation of the packaging (compose, Helm chart, alert rules) with the real validators. */
module.exports = {
  displayName: 'deploy-checks',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  testTimeout: 120_000,
};
