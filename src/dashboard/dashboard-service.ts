/** Runs the dashboard: samples the fleet into its history every second and serves the page. */
import { startHttpServer, type RunningServer } from '../core/http/serve.js';
import type { Logger } from '../core/logger.js';
import { createMetricsRegistry } from '../core/metrics.js';
import { createDashboardApp, type DashboardSources } from './dashboard-app.js';
import { FleetHistory, sampleFleet } from './fleet-history.js';
import { HealthWatch } from './health-watch.js';

export interface DashboardServiceOptions {
  sources: DashboardSources;
  logger: Logger;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  port: number;
  /** @defaultValue 1000 */
  sampleEveryMs?: number;
}

export async function startDashboard(options: DashboardServiceOptions): Promise<RunningServer> {
  const history = new FleetHistory();
  const healthWatch = new HealthWatch();
  const sample = async () => {
    const { edges } = options.sources.fleet();
    const at = Date.now();
    history.add(sampleFleet(edges, at));
    healthWatch.observe(edges, at);
    try {
      const marks = await options.sources.decisions?.();
      if (marks) history.addDecisions(marks.filter((m) => m.action !== 'hold'));
    } catch (error) {
      options.logger.debug({ err: error }, 'autoscaler decisions unavailable');
    }
  };
  await sample();
  const timer = setInterval(() => void sample(), options.sampleEveryMs ?? 1_000);
  const registry = createMetricsRegistry({ service: 'dashboard' });
  const app = createDashboardApp({ sources: options.sources, history, registry, logger: options.logger, healthWatch });
  const server = await startHttpServer(app, { host: options.host ?? '127.0.0.1', port: options.port });
  return {
    ...server,
    close: async () => {
      clearInterval(timer);
      await server.close();
    },
  };
}
