/**
 * The jest config every suite of every project starts from: Nx's preset, TypeScript through
 * ts-jest with the project's own tsconfig, Node environment. The suite presets
 * (jest.unit.preset.js, jest.contract.preset.js, jest.integration.preset.js) and the two
 * standalone suites (deploy-checks, shop-e2e) add what is theirs: where the tests are, timeouts,
 * global setup.
 */
const base = require('./jest.preset.js');

module.exports = (displayName, projectDir, { tsconfig = 'tsconfig.spec.json', ...rest } = {}) => ({
  ...base,
  displayName,
  rootDir: projectDir,
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: `<rootDir>/${tsconfig}` }],
  },
  moduleFileExtensions: ['ts', 'js'],
  ...rest,
});
