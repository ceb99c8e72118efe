module.exports = require('../../jest.unit.preset.js')('platform', __dirname);
