/** Runs the dashboard: samples the fleet into its history every second and serves the page. */
import { startHttpServer, type RunningServer } from '../core/http/serve.js';
import type { Logger } from '../core/logger.js';
import { createMetricsRegistry } from '../core/metrics.js';
import { createDashboardApp, type DashboardSources } from './dashboard-app.js';
import { FleetHistory, sampleFleet } from './fleet-history.js';

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
  const sample = async () => {
    history.add(sampleFleet(options.sources.fleet().edges, Date.now()));
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
  const app = createDashboardApp({ sources: options.sources, history, registry, logger: options.logger });
  const server = await startHttpServer(app, { host: options.host ?? '127.0.0.1', port: options.port });
  return {
    ...server,
    close: async () => {
      clearInterval(timer);
      await server.close();
    },
  };
}
