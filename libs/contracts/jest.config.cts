module.exports = require('../../jest.unit.preset.js')('contracts', __dirname);
