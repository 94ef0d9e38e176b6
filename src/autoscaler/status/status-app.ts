/**
 * The autoscaler's HTTP surface: `GET /status` (leader?, the metric, current and
 * desired counts, recent decisions and actions, the actuator's state) plus the
 * common /healthz, /readyz and /metrics. Read-only: nothing here changes the fleet.
 */
import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { handleHttpError } from '../../core/http/error-response.js';
import { requestObservability } from '../../core/http/request-metrics.js';
import { mountServiceRoutes, type ReadinessCheck } from '../../core/http/service-routes.js';
import type { Logger } from '../../core/logger.js';
import type { AutoscalerStatus } from '../loop/autoscaler-types.js';

export interface StatusAppOptions {
  autoscaler: { status(): AutoscalerStatus };
  registry: Registry;
  logger: Logger;
  checks?: readonly ReadinessCheck[];
}

export function createStatusApp(options: StatusAppOptions): Hono {
  const app = new Hono();
  app.onError(handleHttpError(options.logger));
  app.use('*', requestObservability({ registry: options.registry, logger: options.logger }));
  app.get('/status', (c) => c.json(options.autoscaler.status()));
  mountServiceRoutes(app, { registry: options.registry, checks: options.checks ?? [] });
  return app;
}
