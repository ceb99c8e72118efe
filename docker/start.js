// Container entrypoint: runs the service named by SERVICE, passing the arguments on
// (e.g. --migrate-only for the Helm chart's migrations Job, --check-config).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const SERVICES = ['order', 'inventory', 'payment', 'shipping', 'notification', 'analytics', 'console'];
const service = process.env.SERVICE;
if (!SERVICES.includes(service)) {
  process.stderr.write(`SERVICE must be one of ${SERVICES.join(', ')} (got ${service === undefined ? 'nothing' : JSON.stringify(service)})\n`);
  process.exit(1);
}
const main = join(__dirname, 'dist/apps', service, 'main.js');
if (!existsSync(main)) {
  process.stderr.write(`${main} is missing: the image was not built with the services and the console\n`);
  process.exit(1);
}
require(main);
