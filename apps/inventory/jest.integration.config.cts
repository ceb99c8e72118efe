module.exports = require('../../jest.integration.preset.js')('inventory', __dirname);
