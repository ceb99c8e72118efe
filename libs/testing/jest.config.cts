module.exports = require('../../jest.unit.preset.js')('testing', __dirname);
