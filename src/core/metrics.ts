/**
 * Prometheus metrics (prom-client). Each service owns a Registry instead of the
 * global default one, so several services can live in one process (the local
 * stack, the tests) without "metric already registered" clashes.
 */
import { Registry, collectDefaultMetrics } from 'prom-client';

export interface ServiceMetricsOptions {
  service: string;
  /** Node process metrics (heap, event loop lag...). @defaultValue true */
  processMetrics?: boolean;
}

export function createMetricsRegistry(options: ServiceMetricsOptions): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'hlscdn_' });
  return registry;
}
