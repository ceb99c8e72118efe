module.exports = require('../../jest.unit.preset.js')('shipping', __dirname);
