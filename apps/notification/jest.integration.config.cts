module.exports = require('../../jest.integration.preset.js')('notification', __dirname);
