module.exports = require('../../jest.unit.preset.js')('console-api', __dirname);
