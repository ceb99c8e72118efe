module.exports = require('../../jest.integration.preset.js')('platform', __dirname);
