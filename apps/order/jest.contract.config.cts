module.exports = require('../../jest.contract.preset.js')('order', __dirname);
