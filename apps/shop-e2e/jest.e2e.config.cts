/** End-to-end: drives the shop the way a user does (npm run shop, HTTP), on its own ports. */
module.exports = {
  displayName: 'shop-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  testTimeout: 300_000,
};
