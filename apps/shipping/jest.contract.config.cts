module.exports = require('../../jest.contract.preset.js')('shipping', __dirname);
