module.exports = require('../../jest.integration.preset.js')('order', __dirname);
