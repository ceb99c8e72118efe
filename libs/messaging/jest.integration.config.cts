module.exports = require('../../jest.integration.preset.js')('messaging', __dirname);
