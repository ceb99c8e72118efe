// Loaded first by main.ts: tracing must patch http, express, Nest and pino before they load.
import { startTracing } from '@shop/platform/tracing';

startTracing('analytics');
