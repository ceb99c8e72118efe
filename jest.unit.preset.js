/**
 * Shared jest config of the unit suites: <project>/src/**\/*.spec.ts, no infrastructure (fakes
 * are allowed here and only here). Each project's jest.config.cts calls this with its name and
 * directory; Nx's jest plugin turns that file into the project's `test` target.
 */
const { join, relative } = require('path');

const project = require('./jest.project.js');

module.exports = (name, projectDir) =>
  project(name, projectDir, {
    testMatch: ['<rootDir>/src/**/*.spec.ts'],
    coverageDirectory: join(__dirname, 'coverage', relative(__dirname, projectDir)),
  });
