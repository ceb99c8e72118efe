module.exports = require('../../jest.unit.preset.js')('bench', __dirname);
