module.exports = require('../../jest.contract.preset.js')('notification', __dirname);
