module.exports = require('../../jest.unit.preset.js')('notification', __dirname);
