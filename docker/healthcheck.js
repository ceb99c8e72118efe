// HEALTHCHECK: the chosen service answers /health/live (no curl in the slim image).
'use strict';
const DEFAULT_PORTS = { order: 3000, inventory: 3001, payment: 3002, shipping: 3003, notification: 3004, analytics: 3005, console: 3100 };
const port = process.env.PORT || DEFAULT_PORTS[process.env.SERVICE];
fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(2500) })
  .then((res) => process.exit(res.ok ? 0 : 1))
  .catch(() => process.exit(1));
