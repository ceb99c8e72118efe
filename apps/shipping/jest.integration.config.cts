module.exports = require('../../jest.integration.preset.js')('shipping', __dirname);
