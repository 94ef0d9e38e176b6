/**
 * The dashboard: one HTML page and one JSON endpoint it polls every second.
 * It shows the fleet (state, health, probe round trip, how long an edge has
 * been failing, load, hit ratio, heartbeat age), charts of fleet
 * load and edge count with the autoscaler's decisions marked, the transcoding
 * tasks, and links to players. Data comes through `DashboardSources`, so the
 * page works with whatever parts of the stack are running.
 */
import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { describeEdgeHealth, type EdgeRecord } from '../edge-registry/index.js';
import { handleHttpError } from '../core/http/error-response.js';
import { mountServiceRoutes } from '../core/http/service-routes.js';
import type { Logger } from '../core/logger.js';
import { dashboardPage } from './dashboard-page.js';
import type { DecisionMark, FleetHistory } from './fleet-history.js';
import { HealthWatch } from './health-watch.js';

export interface TaskRow {
  id: string;
  state: string;
  restarts: number;
  lastError?: string;
  /** Viewer links for this task's stream, e.g. the player page. */
  links?: Array<{ label: string; url: string }>;
}

export interface DashboardSources {
  fleet(): { edges: EdgeRecord[]; ageMs: number; connected: boolean };
  tasks?(): Promise<TaskRow[]>;
  /** The autoscaler's recent decisions, to mark on the charts. */
  decisions?(): Promise<DecisionMark[]>;
  /** Fixed links shown at the top (player, master playlist...). */
  links?: Array<{ label: string; url: string }>;
}

export interface DashboardAppOptions {
  sources: DashboardSources;
  history: FleetHistory;
  registry: Registry;
  logger: Logger;
  /** Dates an agent's own "unhealthy" (the record does not); the service shares its sampler's. @defaultValue one fed by the page's polls */
  healthWatch?: HealthWatch;
  now?: () => number;
}

export function createDashboardApp(options: DashboardAppOptions): Hono {
  const { sources, history, logger } = options;
  const now = options.now ?? Date.now;
  const healthWatch = options.healthWatch ?? new HealthWatch();
  const app = new Hono();
  app.onError(handleHttpError(logger));
  mountServiceRoutes(app, { registry: options.registry });
  app.get('/', (c) => c.html(dashboardPage()));
  app.get('/api/state', async (c) => {
    const fleet = sources.fleet();
    let tasks: TaskRow[] = [];
    let tasksError: string | undefined;
    try {
      tasks = (await sources.tasks?.()) ?? [];
    } catch (error) {
      tasksError = error instanceof Error ? error.message : String(error);
    }
    const at = now();
    healthWatch.observe(fleet.edges, at);
    return c.json({
      at,
      registry: { connected: fleet.connected, ageMs: Number.isFinite(fleet.ageMs) ? fleet.ageMs : null },
      edges: fleet.edges.map((e) => {
        const health = describeEdgeHealth(e, at, healthWatch.unhealthySince(e.id));
        return {
          id: e.id,
          url: e.url,
          zone: e.zone ?? null,
          state: e.state,
          health: health.verdict,
          healthLabel: health.label,
          healthReason: health.reason ?? null,
          probeVerdict: e.probe?.verdict ?? null,
          probeRttMs: health.rttMs,
          failingSince: health.failingSince,
          failingForMs: health.failingForMs,
          failingForAtLeast: health.failingForAtLeast,
          connections: e.load.activeConnections,
          requestsPerSec: e.load.requestsPerSec,
          egressBytesPerSec: e.load.egressBytesPerSec,
          hitRatio: e.load.cacheHitRatio,
          upstreamErrors: e.load.upstreamErrors,
          heartbeatAgeMs: at - e.heartbeatAt,
        };
      }),
      history: history.view(),
      tasks,
      tasksError: tasksError ?? null,
      links: sources.links ?? [],
    });
  });
  return app;
}
