module.exports = require('../../jest.contract.preset.js')('inventory', __dirname);
