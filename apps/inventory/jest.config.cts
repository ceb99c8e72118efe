module.exports = require('../../jest.unit.preset.js')('inventory', __dirname);
