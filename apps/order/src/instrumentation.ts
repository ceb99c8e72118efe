// Loaded first by main.ts: tracing must patch http, express, Nest, pg and pino before they load.
import { startTracing } from '@shop/platform/tracing';

startTracing('order');
