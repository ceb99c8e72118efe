module.exports = require('../../jest.unit.preset.js')('messaging', __dirname);
