module.exports = require('../../jest.integration.preset.js')('analytics', __dirname);
