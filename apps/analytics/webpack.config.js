module.exports = require('../../webpack.app.config.js')(__dirname);
