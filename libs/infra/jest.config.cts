module.exports = require('../../jest.unit.preset.js')('infra', __dirname);
