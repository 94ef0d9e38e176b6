/**
 * One edge: renders its nginx config, runs nginx under the process harness,
 * the LL-HLS part coalescer nginx sends parts to (on loopback, nginx/README.md
 * "LL-HLS parts"), and the agent that heartbeats into the registry. Draining (SIGTERM, a
 * drain request through the registry, or the autoscaler) announces the edge as
 * draining, waits for viewers' connections to end (bounded), stops nginx with
 * SIGQUIT so in-flight responses finish, then deregisters.
 */
import { EventEmitter } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Hono } from 'hono';
import type { RedisConfig } from '../core/redis/index.js';
import type { EdgeConfig, SigningConfig } from './config.js';
import { HlscdnError } from '../core/errors.js';
import { redisOptionsFromConfig } from '../core/redis/index.js';
import { startHttpServer, type RunningServer } from '../core/http/serve.js';
import { mountServiceRoutes } from '../core/http/service-routes.js';
import type { Logger } from '../core/logger.js';
import { createMetricsRegistry } from '../core/metrics.js';
import { findFreePort, httpProbe, startNginx, waitUntil, type ManagedProcess } from '../core/process/index.js';
import { EdgeRegistryWriter } from '../edge-registry/index.js';
import { EdgeAgent } from './agent/edge-agent.js';
import { edgeGauges } from './edge-metrics.js';
import { parseEdgeConfigOptions, renderEdgeConfig } from './nginx-config/index.js';
import { PartCoalescer } from './part-coalescer/index.js';

export interface EdgeServiceOptions {
  edge: EdgeConfig;
  redis: RedisConfig & { url: string };
  signing: SigningConfig;
  /**
   * Viewer sessions (the `access` section, owned by the rewriter): when enabled, nginx
   * accepts playlists and segments only with a valid session query (docs/access-tokens.md).
   */
  access?: { enabled: boolean; secret?: string };
  logger: Logger;
  /** Base of relative data directories. */
  cwd: string;
  /**
   * LL-HLS parts through the agent's loopback part coalescer instead of nginx's cache
   * lock (nginx/README.md, "LL-HLS parts"). @defaultValue \{ enabled: true \}
   */
  partCoalescer?: EdgePartCoalescerOptions;
}

/** How the edge routes LL-HLS parts; the limits are PartCoalescerOptions'. */
export interface EdgePartCoalescerOptions {
  /** @defaultValue true */
  enabled?: boolean;
  /** Paths sent through the coalescer (nginx `location ~`). @defaultValue '/part[0-9]+\\.m4s$' */
  pathPattern?: string;
  /** Loopback port of the coalescer; 0 picks a free one. @defaultValue 0 */
  port?: number;
  /** @defaultValue 1000 */
  maxKeys?: number;
  /** @defaultValue 10_000 */
  maxWaitersPerKey?: number;
  /** @defaultValue 16 MiB */
  maxBodyBytes?: number;
  /** @defaultValue 1000 */
  lingerMs?: number;
}

export interface EdgeServiceEvents {
  /** nginx is gone and the edge deregistered (after a drain, or nginx died). */
  stopped: [reason: string];
}

export class EdgeService extends EventEmitter<EdgeServiceEvents> {
  private draining: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly id: string,
    readonly url: string,
    readonly statusUrl: string,
    readonly agentUrl: string,
    private readonly nginx: ManagedProcess,
    readonly agent: EdgeAgent,
    private readonly writer: EdgeRegistryWriter,
    private readonly agentServer: RunningServer,
    private readonly options: EdgeServiceOptions,
    /** The LL-HLS part coalescer, unless disabled. */
    readonly partCoalescer: PartCoalescer | undefined,
  ) {
    super();
    nginx.once('exit', (info) => {
      if (this.draining || this.stopping) return;
      options.logger.error({ ...info }, 'nginx exited unexpectedly: deregistering the edge');
      void this.shutdown('nginx exited');
    });
    agent.on('drain-requested', () => void this.drain());
  }

  static async start(options: EdgeServiceOptions): Promise<EdgeService> {
    const { edge, logger } = options;
    const id = edge.id ?? `edge-${edge.port}`;
    const dataDir = resolve(options.cwd, edge.dataDir ?? join('data', 'edges', id));
    const prefixDir = join(dataDir, 'nginx');
    const cacheDir = join(dataDir, 'cache');
    await mkdir(prefixDir, { recursive: true });
    await mkdir(cacheDir, { recursive: true });
    const statusPort = edge.statusPort || (await findFreePort());
    const coalescing = options.partCoalescer ?? {};
    const parsed = parseEdgeConfigOptions({
      edgeId: id,
      listenHost: edge.host,
      listenPort: edge.port,
      statusPort,
      origins: edge.origins,
      cacheDir,
      cacheMaxSize: edge.cacheMaxSize,
      playlistTtlSeconds: edge.playlistTtlSeconds,
      segmentTtlSeconds: edge.segmentTtlSeconds,
      lockTimeoutSeconds: edge.lockTimeoutSeconds,
      signedUrls: options.signing.secret ? { enabled: true, secret: options.signing.secret } : { enabled: false },
      sessionLinks:
        options.access?.enabled && options.access.secret ? { enabled: true, secret: options.access.secret } : { enabled: false },
      prefixDir,
      // As root, nginx workers would drop to "nobody" and could not write the cache.
      ...(process.getuid?.() === 0 && { user: 'root' }),
      // Checked here with the rest; enabled below once the coalescer has its port.
      partCoalescer: { enabled: false, ...(coalescing.pathPattern !== undefined && { pathPattern: coalescing.pathPattern }) },
    });
    if (!parsed.ok) throw new HlscdnError('invalid-config', parsed.error.message);
    const registry = createMetricsRegistry({ service: 'edge' });
    const partCoalescer =
      coalescing.enabled === false
        ? undefined
        : await PartCoalescer.start({
            origins: parsed.value.origins,
            originTries: parsed.value.originTries,
            host: parsed.value.partCoalescer.host,
            port: coalescing.port ?? 0,
            connectTimeoutMs: parsed.value.originConnectTimeoutSeconds * 1000,
            // Parts wait for the origin as long as nginx's lock would have let them.
            upstreamTimeoutMs: parsed.value.lockTimeoutSeconds * 1000,
            maxKeys: coalescing.maxKeys,
            maxWaitersPerKey: coalescing.maxWaitersPerKey,
            maxBodyBytes: coalescing.maxBodyBytes,
            lingerMs: coalescing.lingerMs,
            registry,
            logger,
          });
    const configFile = join(prefixDir, 'nginx.conf');
    const statusUrl = `http://127.0.0.1:${statusPort}`;
    let nginx: ManagedProcess;
    try {
      const text = renderEdgeConfig({
        ...parsed.value,
        partCoalescer: { ...parsed.value.partCoalescer, enabled: partCoalescer !== undefined, port: partCoalescer?.port },
      });
      // The file may hold the signing secret.
      await writeFile(configFile, text, { mode: 0o600 });
      nginx = await startNginx({ name: `nginx:${id}`, prefixDir, configFile, probe: httpProbe(`${statusUrl}/healthz`), logger });
    } catch (error) {
      await partCoalescer?.close();
      throw error;
    }

    const publicUrl = edge.publicUrl ?? `http://${loopbackFor(edge.host)}:${edge.port}`;
    const writer = new EdgeRegistryWriter({
      redis: redisOptionsFromConfig(options.redis),
      keyPrefix: options.redis.keyPrefix,
      ttlMs: edge.ttlMs,
      logger,
    });
    const agent = new EdgeAgent({
      id,
      publicUrl: publicUrl.replace(/\/$/, ''),
      zone: edge.zone,
      capacity: {
        weight: edge.capacity.weight,
        egressBytesPerSec: (edge.capacity.egressMbps * 1e6) / 8,
        connections: edge.capacity.connections,
      },
      stubStatusUrl: `${statusUrl}/nginx_status`,
      // The canary goes to the viewer-facing listener on loopback: the same workers, cache and upstream viewers get.
      canaryUrl: `http://${loopbackFor(edge.host)}:${edge.port}/.hlscdn/canary`,
      accessLogPath: parsed.value.accessLogPath,
      cacheDir,
      sink: writer,
      logger,
      heartbeatMs: edge.heartbeatMs,
    });
    agent.on('heartbeat', edgeGauges(registry));
    const app = new Hono();
    const nginxAnswers = httpProbe(`${statusUrl}/healthz`);
    mountServiceRoutes(app, {
      registry,
      checks: [
        {
          name: 'nginx',
          check: async () => {
            if (!nginx.running || !(await nginxAnswers())) throw new Error('nginx is not answering on its status port');
          },
        },
      ],
    });
    const agentServer = await startHttpServer(app, { host: '127.0.0.1', port: 0 });
    await agent.start();
    logger.info({ id, url: publicUrl, status: statusUrl, agent: agentServer.url, partCoalescer: partCoalescer?.url }, 'edge serving');
    return new EdgeService(id, publicUrl, statusUrl, agentServer.url, nginx, agent, writer, agentServer, options, partCoalescer);
  }

  /** pid of the nginx master process. */
  get nginxPid(): number {
    return this.nginx.pid;
  }

  /**
   * Stops taking new viewers: the registry shows the edge as draining (the
   * rewriter sends it nothing new), waits for open connections to end or the
   * drain timeout, then stops nginx gracefully and deregisters. Idempotent.
   */
  drain(): Promise<void> {
    this.draining ??= this.doDrain();
    return this.draining;
  }

  /** Same as drain: an edge never stops without letting its viewers go first. */
  close(): Promise<void> {
    return this.drain();
  }

  private async doDrain(): Promise<void> {
    const { logger, edge } = this.options;
    logger.info({ timeoutSec: edge.drainTimeoutSec }, 'draining');
    await this.agent.drain();
    try {
      await waitUntil(async () => (await this.agent.refreshConnections()) <= 1, {
        timeoutMs: edge.drainTimeoutSec * 1000,
        intervalMs: 250,
        what: 'viewer connections to end',
      });
    } catch {
      logger.warn({ connections: this.agent.activeConnections - 1 }, 'drain timeout: stopping with connections still open');
    }
    await this.shutdown('drained');
  }

  private shutdown(reason: string): Promise<void> {
    this.stopping ??= this.doShutdown(reason);
    return this.stopping;
  }

  private async doShutdown(reason: string): Promise<void> {
    await this.nginx.stop();
    // After nginx: its graceful stop lets in-flight part requests finish through the coalescer.
    await this.partCoalescer?.close();
    await this.agent.close({ deregister: true });
    await this.writer.close();
    await this.agentServer.close();
    this.options.logger.info({ reason }, 'edge stopped');
    this.emit('stopped', reason);
  }
}

/** The address this machine reaches a listener on: a wildcard listen is reached on loopback. */
function loopbackFor(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
