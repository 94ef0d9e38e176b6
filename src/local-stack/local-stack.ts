/**
 * The whole CDN on one machine, on embedded defaults: what `npm start` runs.
 * A private redis-server (unless REDIS_URL is set), the filesystem origin store
 * and origin server, two nginx edges started through the autoscaler's local
 * actuator, the rewriter, a live transcode of the test pattern (worker + control
 * API), the autoscaler (min 1, max 4) and the dashboard. Everything binds to
 * 127.0.0.1; close() stops all of it in reverse order.
 */
import { join, resolve } from 'node:path';
import { LocalActuator, edgeEnvironment, startAutoscalerService } from '../autoscaler/index.js';
import type { HlscdnConfig } from '../config/index.js';
import type { Logger } from '../core/logger.js';
import { createMetricsRegistry } from '../core/metrics.js';
import { startRedisServer, waitUntil } from '../core/process/index.js';
import { redisOptionsFromConfig } from '../core/redis/index.js';
import { startDashboard } from '../dashboard/index.js';
import { EdgeRegistryView } from '../edge-registry/index.js';
import { openStoreFromConfig, startOriginServer } from '../origin-store/index.js';
import { startRewriter, type RewriterConfig } from '../rewriter/index.js';
import {
  TaskWorker,
  isFinalState,
  prepareLaunchers,
  sessionSettingsFromConfig,
  startControlService,
  type TaskControl,
} from '../transcoder/index.js';
import { localApiToken } from './api-token.js';
import { ensureLiveTask, liveOutputPrefix, liveTaskId } from './live-task.js';
import { preflight } from './preflight.js';

export interface LocalStackOptions {
  config: HlscdnConfig;
  logger: Logger;
  /** Where the store (unless configured otherwise), the private Redis, the edges' caches and the transcoder's work files live. */
  dataDir: string;
  /** Edges started at once. @defaultValue 2 */
  edges?: number;
  /** Live input instead of the test pattern (any ffmpeg input URL). */
  input?: string;
  /** How the rewriter writes segment URLs. @defaultValue 'redirect': survives an edge dying between playlist reloads */
  mode?: RewriterConfig['mode'];
  /** 0 = a free port. @defaultValue 8088 */
  dashboardPort?: number;
  /** Environment handed to the edge processes. @defaultValue process.env */
  env?: NodeJS.ProcessEnv;
}

export interface LocalStack {
  redisUrl: string;
  originUrl: string;
  rewriterUrl: string;
  dashboardUrl: string;
  autoscalerUrl: string;
  apiUrl: string;
  apiTokenFile?: string;
  masterUrl: string;
  playerUrl: string;
  edges(): Promise<Array<{ id: string; url: string; pid?: number }>>;
  close(): Promise<void>;
}

/**
 * Liveness on one machine can be quicker than across a network: edges heartbeat
 * every 500 ms and leave every view 1.5 s after their last one, so a dead edge
 * stops receiving segment requests well within a player's buffer.
 */
const localHeartbeatMs = 500;
const localTtlMs = 1_500;

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { config, logger } = options;
  const dataDir = resolve(options.dataDir);
  await preflight({ dataDir, needRedisServer: !config.redis.url });
  const parts: Array<{ close(): Promise<void> }> = [];
  const close = async () => {
    for (const part of parts.splice(0).reverse())
      await part.close().catch((error: unknown) => logger.warn({ err: error }, 'error while stopping'));
  };
  try {
    let redisUrl = config.redis.url;
    if (!redisUrl) {
      const redisServer = await startRedisServer({ dir: join(dataDir, 'redis'), logger });
      parts.push({ close: () => redisServer.stop() });
      redisUrl = redisServer.url;
    }
    const redis = { ...config.redis, url: redisUrl };
    const edgeConfig = { ...config.edge, heartbeatMs: localHeartbeatMs, ttlMs: localTtlMs };

    const store = await openStoreFromConfig(config.store, process.cwd());
    parts.push(store);
    const origin = await startOriginServer({
      store,
      logger,
      host: config.origin.host,
      port: config.origin.port,
      corsOrigin: config.origin.corsOrigin,
    });
    parts.push(origin);

    // Edges are `hlscdn edge` processes of the local actuator, which the autoscaler then grows and shrinks.
    const actuator = new LocalActuator({
      origins: [origin.url],
      dataDir: join(dataDir, 'edges'),
      basePort: config.edge.port,
      idPrefix: 'local',
      env: {
        ...edgeEnvironment(options.env ?? process.env, redis, edgeConfig.ttlMs),
        HLSCDN_EDGE_HEARTBEAT_MS: String(edgeConfig.heartbeatMs),
        // A local viewer is a browser tab: don't hold Ctrl-C for 30 s waiting for it.
        HLSCDN_EDGE_DRAIN_TIMEOUT_SEC: '2',
        ...(config.signing.secret && { HLSCDN_SIGNING_SECRET: config.signing.secret }),
      },
      stopTimeoutMs: 10_000,
      logger,
    });
    const autoscaler = await startAutoscalerService({
      autoscaler: { ...config.autoscaler, actuator: 'local', policy: { ...config.autoscaler.policy, minEdges: 1, maxEdges: 4 } },
      redis,
      edgeTtlMs: edgeConfig.ttlMs,
      logger,
      cwd: dataDir,
      env: options.env ?? process.env,
      actuator,
    });
    parts.push(autoscaler);
    await actuator.add(options.edges ?? 2);

    const rewriter = await startRewriter({
      rewriter: { ...config.rewriter, originUrl: origin.url, mode: options.mode ?? 'redirect' },
      signing: config.signing,
      registry: { redis: redisOptionsFromConfig(redis), keyPrefix: redis.keyPrefix, ttlMs: edgeConfig.ttlMs },
      logger,
    });
    parts.push(rewriter);

    // The live transcode runs as a queued task on an in-process worker, as it would on a worker host.
    const section = config.transcoder;
    const taskRedis = { ...redisOptionsFromConfig(redis), keyPrefix: redis.keyPrefix };
    const { token, file: apiTokenFile } = await localApiToken(config.api.token, dataDir);
    const registry = createMetricsRegistry({ service: 'transcoder' });
    const api = await startControlService({
      redis: taskRedis,
      token,
      host: section.api.host,
      port: section.api.port,
      transcoder: section,
      registry,
      logger,
    });
    parts.push(api);
    const launchers = await prepareLaunchers({ ffmpegPath: section.ffmpegPath, ffprobePath: section.ffprobePath });
    const worker = await TaskWorker.start({
      redis: taskRedis,
      store,
      workDir: join(dataDir, 'transcoder'),
      launchers,
      concurrency: 2,
      queueName: section.worker.queueName,
      session: sessionSettingsFromConfig(section),
      registry,
      logger,
    });
    parts.push(worker);
    // Stopping the stack ends the demo stream (ffmpeg finishes its segment) instead of handing it to another worker.
    parts.push({ close: () => stopLiveTask(api.control) });
    await ensureLiveTask(api.control, options.input);

    const view = new EdgeRegistryView({
      redis: redisOptionsFromConfig(redis),
      keyPrefix: redis.keyPrefix,
      ttlMs: edgeConfig.ttlMs,
      logger,
    });
    await view.start();
    parts.push(view);
    const masterUrl = `${rewriter.url}/${liveOutputPrefix}/master.m3u8`;
    const playerUrl = `${rewriter.url}/play/${liveOutputPrefix}/master.m3u8`;
    const dashboard = await startDashboard({
      logger,
      port: options.dashboardPort ?? 8088,
      sources: {
        fleet: () => view.snapshot(),
        decisions: async () => autoscaler.autoscaler.status().decisions,
        tasks: async () =>
          (await api.control.list()).map((t) => ({
            id: t.id,
            state: t.state,
            restarts: t.restarts,
            ...(t.lastError && { lastError: t.lastError }),
            links: [{ label: 'play', url: `${rewriter.url}/play/${t.spec.outputPrefix}/master.m3u8` }],
          })),
        links: [
          { label: 'player', url: playerUrl },
          { label: 'master playlist', url: masterUrl },
          { label: 'autoscaler status', url: `${autoscaler.url}/status` },
        ],
      },
    });
    parts.push(dashboard);

    let closing: Promise<void> | undefined;
    return {
      redisUrl,
      originUrl: origin.url,
      rewriterUrl: rewriter.url,
      dashboardUrl: dashboard.url,
      autoscalerUrl: autoscaler.url,
      apiUrl: api.url,
      ...(apiTokenFile && { apiTokenFile }),
      masterUrl,
      playerUrl,
      edges: async () => (await actuator.list()).flatMap((e) => (e.url ? [{ id: e.id, url: e.url, ...(e.pid && { pid: e.pid }) }] : [])),
      close: () => (closing ??= close()),
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function stopLiveTask(control: TaskControl): Promise<void> {
  try {
    await control.stop(liveTaskId);
    await waitUntil(
      async () => {
        const task = await control.get(liveTaskId);
        return !task || isFinalState(task.state);
      },
      { timeoutMs: 8_000, intervalMs: 100, what: 'the live task to stop' },
    );
  } catch {
    // The worker's close() ends ffmpeg anyway.
  }
}
