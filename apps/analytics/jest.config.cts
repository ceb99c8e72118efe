module.exports = require('../../jest.unit.preset.js')('analytics', __dirname);
