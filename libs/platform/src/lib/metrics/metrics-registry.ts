import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * One registry per application instance (not prom-client's global one), so tests can boot
 * several services in one process. Other modules inject `Registry` to add their metrics.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
