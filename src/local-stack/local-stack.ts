/**
 * The whole CDN on one machine, on embedded defaults: what `npm start` runs.
 * A private redis-server (unless REDIS_URL is set; restarted on the same port if
 * it dies), the filesystem origin store and origin server, two nginx edges
 * started through the autoscaler's local actuator, the rewriter, a live
 * transcode of the test pattern (worker + control API), the autoscaler (min 1,
 * max 4) and the dashboard. Everything binds to 127.0.0.1.
 *
 * close() stops all of it in reverse order, in stages (see `closeStages`), each
 * part under a deadline, so Ctrl-C ends within 10 s whatever state the parts are
 * in, a dead Redis included.
 */
import { join, resolve } from 'node:path';
import { LocalActuator, edgeEnvironment, startAutoscalerService } from '../autoscaler/index.js';
import type { HlscdnConfig } from '../config/index.js';
import type { Logger } from '../core/logger.js';
import { createMetricsRegistry } from '../core/metrics.js';
import { closeWithin, startRedisServer, startSupervisedRedisServer, waitUntil } from '../core/process/index.js';
import { redisOptionsFromConfig } from '../core/redis/index.js';
import { startDashboard } from '../dashboard/index.js';
import { EdgeRegistryView } from '../edge-registry/index.js';
import { observeStore, openStoreFromConfig, startOriginServer } from '../origin-store/index.js';
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
import { localFleetBounds } from './fleet-bounds.js';
import { preflight } from './preflight.js';

export interface LocalStackOptions {
  config: HlscdnConfig;
  logger: Logger;
  /** Where the store (unless configured otherwise), the private Redis, the edges' caches and the transcoder's work files live. */
  dataDir: string;
  /** Edges started at once. @defaultValue 2 */
  edges?: number;
  /**
   * The autoscaler's bounds for the local fleet. It shrinks an idle fleet to
   * `minEdges` after its stabilization window (5 min), so a fleet that must keep
   * its size sets `minEdges` to it. @defaultValue 1 to max(4, edges)
   */
  fleet?: { minEdges?: number; maxEdges?: number };
  /** Live input instead of the test pattern (any ffmpeg input URL). */
  input?: string;
  /** How the rewriter writes segment URLs. @defaultValue 'redirect': survives an edge dying between playlist reloads */
  mode?: RewriterConfig['mode'];
  /** The demo stream as low-latency HLS (docs/local-stack.md). @defaultValue false */
  lowLatency?: boolean;
  /** 0 = a free port. @defaultValue 8088 */
  dashboardPort?: number;
  /** Environment handed to the edge processes. @defaultValue process.env */
  env?: NodeJS.ProcessEnv;
  /** Restart the private redis-server on the same port if it dies (off: it stays dead, for tests). @defaultValue true */
  restartRedis?: boolean;
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

/**
 * How the stack stops: stage by stage, the parts of a stage side by side, each
 * part under its own deadline (a part past it is logged and left behind), a stage
 * never longer than its budget. The budgets add up to 9 s, so close() ends
 * within 10 s even when Redis is gone and every Redis client would wait for it.
 * 1. the front doors: dashboard, registry view, rewriter;
 * 2. the work: the live task (ffmpeg finishes its segment), the worker, the
 *    control API; beside them the autoscaler and its edges (each drains for at
 *    most 2 s, SIGKILL after 4 s);
 * 3. the origin server and the store;
 * 4. redis-server.
 */
const closeStages = [
  { stage: 'front', budgetMs: 1_500 },
  { stage: 'work', budgetMs: 5_500 },
  { stage: 'origin', budgetMs: 1_000 },
  { stage: 'redis', budgetMs: 1_000 },
] as const;
type CloseStage = (typeof closeStages)[number]['stage'];

interface StackPart {
  stage: CloseStage;
  what: string;
  /** Its own deadline, within the stage's budget. */
  withinMs: number;
  close(): Promise<void>;
}

/** An edge drains for at most this long when the stack stops (a local viewer is a browser tab). */
const localEdgeDrainSec = 2;

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { config, logger } = options;
  const dataDir = resolve(options.dataDir);
  const fleet = localFleetBounds(options);
  await preflight({ dataDir, needRedisServer: !config.redis.url });
  const parts: StackPart[] = [];
  const add = (stage: CloseStage, what: string, withinMs: number, close: () => Promise<void>) =>
    parts.push({ stage, what, withinMs, close });
  const close = async () => {
    const started = performance.now();
    const all = parts.splice(0);
    for (const { stage, budgetMs } of closeStages) {
      const members = all.filter((p) => p.stage === stage).reverse();
      if (members.length === 0) continue;
      await closeWithin(
        () => Promise.all(members.map((p) => closeWithin(p.close, Math.min(p.withinMs, budgetMs), p.what, logger))).then(() => undefined),
        budgetMs,
        `the ${stage} stage`,
        logger,
      );
    }
    logger.info({ tookMs: Math.round(performance.now() - started) }, 'local stack stopped');
  };
  try {
    let redisUrl = config.redis.url;
    if (!redisUrl) {
      const redisOptions = { dir: join(dataDir, 'redis'), logger, stopTimeoutMs: 800 };
      const redisServer =
        options.restartRedis === false ? await startRedisServer(redisOptions) : await startSupervisedRedisServer(redisOptions);
      add('redis', 'redis-server', 1_000, () => redisServer.stop());
      redisUrl = redisServer.url;
    }
    const redis = { ...config.redis, url: redisUrl };
    const edgeConfig = { ...config.edge, heartbeatMs: localHeartbeatMs, ttlMs: localTtlMs };

    const openedStore = await openStoreFromConfig(config.store, process.cwd());
    add('origin', 'the origin store', 1_000, () => openedStore.close());
    // The transcoder writes through this same store object, so the origin's held
    // low-latency requests wake on its puts instead of polling (docs/origin-store.md).
    const { store, changes } = observeStore(openedStore, { logger });
    const origin = await startOriginServer({
      store,
      changes,
      lowLatency: config.origin.lowLatency,
      logger,
      host: config.origin.host,
      port: config.origin.port,
      corsOrigin: config.origin.corsOrigin,
    });
    add('origin', 'the origin server', 1_000, () => origin.close());

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
        HLSCDN_EDGE_DRAIN_TIMEOUT_SEC: String(localEdgeDrainSec),
        ...(config.signing.secret && { HLSCDN_SIGNING_SECRET: config.signing.secret }),
        ...(config.access.enabled && config.access.secret && { HLSCDN_ACCESS_ENABLED: 'true', HLSCDN_ACCESS_SECRET: config.access.secret }),
      },
      // The drain, nginx's graceful stop and the goodbye take well under this; then SIGKILL.
      stopTimeoutMs: localEdgeDrainSec * 1000 + 2_000,
      logger,
    });
    const autoscaler = await startAutoscalerService({
      autoscaler: { ...config.autoscaler, actuator: 'local', policy: { ...config.autoscaler.policy, ...fleet } },
      redis,
      edgeTtlMs: edgeConfig.ttlMs,
      logger,
      cwd: dataDir,
      env: options.env ?? process.env,
      actuator,
    });
    add('work', 'the autoscaler and its edges', 5_500, async () => {
      // The loop stops first, so it does not replace edges as they leave; then the
      // edges drain while the service lets go of its lease and connections.
      await closeWithin(autoscaler.autoscaler, 1_000, 'the autoscaler loop', logger);
      await Promise.all([
        closeWithin(actuator, 4_500, 'the local edges', logger),
        closeWithin(autoscaler, 4_500, 'the autoscaler service', logger),
      ]);
    });
    await actuator.add(options.edges ?? 2);

    const rewriter = await startRewriter({
      rewriter: { ...config.rewriter, originUrl: origin.url, mode: options.mode ?? 'redirect' },
      signing: config.signing,
      access: config.access,
      registry: { redis: redisOptionsFromConfig(redis), keyPrefix: redis.keyPrefix, ttlMs: edgeConfig.ttlMs },
      logger,
    });
    add('front', 'the rewriter', 1_500, () => rewriter.close());

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
    const launchers = await prepareLaunchers({ ffmpegPath: section.ffmpegPath, ffprobePath: section.ffprobePath });
    const transcode: { worker?: TaskWorker } = {};
    // One part, in order: the live task, the worker, then the API (the worker outlives a stuck stop request).
    add('work', 'the live transcode', 5_500, async () => {
      const { worker } = transcode;
      // Stopping the stack ends the demo stream (ffmpeg finishes its segment) instead of handing it to another worker.
      if (worker) await closeWithin(() => stopLiveTask(api.control), liveTaskStopMs, 'the live task', logger);
      if (worker) await closeWithin(worker, 4_000, 'the transcoder worker', logger);
      await closeWithin(api, 1_000, 'the transcoder control API', logger);
    });
    transcode.worker = await TaskWorker.start({
      redis: taskRedis,
      store,
      workDir: join(dataDir, 'transcoder'),
      launchers,
      concurrency: 2,
      queueName: section.worker.queueName,
      // ffmpeg gets 2 s to close its segment on a stop, then SIGKILL: inside the stack's close budget.
      session: { ...sessionSettingsFromConfig(section), stopGraceMs: Math.min(section.supervisor.stopTimeoutSec * 1000, 2_000) },
      closeTimeoutMs: 1_500,
      registry,
      logger,
    });
    await ensureLiveTask(api.control, {
      ...(options.input === undefined ? {} : { input: options.input }),
      lowLatency: options.lowLatency === true,
    });

    const view = new EdgeRegistryView({
      redis: redisOptionsFromConfig(redis),
      keyPrefix: redis.keyPrefix,
      ttlMs: edgeConfig.ttlMs,
      logger,
    });
    add('front', 'the registry view', 1_000, () => view.close());
    await view.start();
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
    add('front', 'the dashboard', 1_000, () => dashboard.close());

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

/** How long the stack waits for the live task to end before the worker's close ends ffmpeg itself. */
const liveTaskStopMs = 3_000;

async function stopLiveTask(control: TaskControl): Promise<void> {
  try {
    await control.stop(liveTaskId);
    await waitUntil(
      async () => {
        const task = await control.get(liveTaskId);
        return !task || isFinalState(task.state);
      },
      { timeoutMs: liveTaskStopMs - 200, intervalMs: 100, what: 'the live task to stop' },
    );
  } catch {
    // Redis away, or slow: the worker's close() ends ffmpeg anyway.
  }
}
