module.exports = require('../../jest.unit.preset.js')('console', __dirname);
