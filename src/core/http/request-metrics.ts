/** Hono middleware: request count and latency per route pattern and status, plus a request log line. */
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { Logger } from '../logger.js';

export interface RequestObservabilityOptions {
  registry: Registry;
  logger: Logger;
  /** Paths not logged (probes, scrapes). @defaultValue ['/healthz','/readyz','/metrics'] */
  quietPaths?: readonly string[];
}

export function requestObservability(options: RequestObservabilityOptions): MiddlewareHandler {
  const requests = new Counter({
    name: 'hlscdn_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [options.registry],
  });
  const duration = new Histogram({
    name: 'hlscdn_http_request_duration_seconds',
    help: 'Time to the response headers, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [options.registry],
  });
  const quiet = new Set(options.quietPaths ?? ['/healthz', '/readyz', '/metrics']);
  return async function observeRequest(c, next) {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    // The route pattern, not the path, keeps label cardinality bounded.
    const route = routePath(c, -1) || 'unmatched';
    requests.inc({ method: c.req.method, route, status: String(c.res.status) });
    duration.observe({ method: c.req.method, route }, seconds);
    if (quiet.has(c.req.path)) return;
    const line = { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(seconds * 1000) };
    if (c.res.status >= 500) options.logger.warn(line, 'request failed');
    else options.logger.debug(line, 'request');
  };
}
