module.exports = require('../../jest.unit.preset.js')('payment', __dirname);
