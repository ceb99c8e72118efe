module.exports = require('../../jest.integration.preset.js')('payment', __dirname);
