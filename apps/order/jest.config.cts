module.exports = require('../../jest.unit.preset.js')('order', __dirname);
