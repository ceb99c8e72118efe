/**
 * The jest config every suite of every project starts from: Nx's preset, TypeScript through
 * ts-jest with the project's own tsconfig, Node environment. The suite presets
 * (jest.unit.preset.js, jest.contract.preset.js, jest.integration.preset.js) and the two
 * standalone suites (deploy-checks, shop-e2e) add what is theirs: where the tests are, timeouts,
 * global setup.
 *
 * ts-jest only transpiles, file by file: tsconfig.base.json sets isolatedModules, which turns its
 * type checking off (the unit suites: 102 s of CPU before, 36 s after). Types are checked once,
 * by each project's `typecheck` target, which covers the same files (tsconfig.spec.json includes
 * src and test) and runs in the same `npm test` step as the unit tests.
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
