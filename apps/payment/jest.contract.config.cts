module.exports = require('../../jest.contract.preset.js')('payment', __dirname);
