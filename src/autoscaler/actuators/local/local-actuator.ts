/**
 * The `local` actuator: each edge is an `hlscdn edge` child process on this
 * machine, started under the process harness (own process group, parent-death
 * signal: no orphans), on a free port (or basePort + n - 1), with ids
 * `<idPrefix>-<n>`. remove() sends SIGTERM, which makes the edge drain (registry
 * state 'draining', wait for connections, nginx SIGQUIT, deregister) and exit;
 * after stopTimeoutMs it is killed. An edge that exits by itself (a drain asked
 * through the registry, a crash) is dropped from the list and reported, never
 * restarted: replacing capacity is the autoscaler's decision.
 */
import { request } from 'node:http';
import { join } from 'node:path';
import { errorMessage, HlscdnError, isHlscdnError } from '../../../core/errors.js';
import { silentLogger, type Logger } from '../../../core/logger.js';
import { findFreePort, hlscdnCommand, ManagedProcess, type ExitInfo, type SelfCommand } from '../../../core/process/index.js';
import { checkAddCount, type ActuatorEdge, type ActuatorFailure, type ActuatorState, type EdgeActuator } from '../edge-actuator.js';

export interface LocalActuatorOptions {
  /** Origin base URLs handed to every edge (`--origin`), the first primary. */
  origins: readonly string[];
  /** Absolute directory; edge `<id>` keeps its cache, logs and nginx.conf in `<dataDir>/<id>`. */
  dataDir: string;
  /** The edges' whole environment; it must carry the registry settings (REDIS_URL, HLSCDN_REDIS_KEY_PREFIX...). */
  env: NodeJS.ProcessEnv;
  /** How to run hlscdn. @defaultValue hlscdnCommand(): the same code as this process */
  command?: SelfCommand;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** 0: free ports; otherwise edge n listens on basePort + n - 1. @defaultValue 0 */
  basePort?: number;
  /** Ids are `<idPrefix>-<n>`; two autoscalers sharing a registry need different prefixes. @defaultValue 'local' */
  idPrefix?: string;
  /** Longest wait for a new edge's nginx to answer. @defaultValue 30_000 */
  startTimeoutMs?: number;
  /** After SIGTERM, how long an edge may drain before SIGKILL. Above the edges' drainTimeoutSec. @defaultValue 60_000 */
  stopTimeoutMs?: number;
  /** Exited edges remembered for /status. @defaultValue 20 */
  exitHistory?: number;
  logger?: Logger;
  /** Wall clock for the times in the status. @defaultValue Date.now */
  now?: () => number;
}

interface LocalEdge {
  id: string;
  port: number;
  url: string;
  state: ActuatorEdge['state'];
  process?: ManagedProcess;
}

interface ExitedEdge extends ExitInfo {
  id: string;
  at: number;
  expected: boolean;
}

export class LocalActuator implements EdgeActuator {
  private readonly options: LocalActuatorOptions;
  private readonly command: SelfCommand;
  private readonly host: string;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly edges = new Map<string, LocalEdge>();
  private readonly exited: ExitedEdge[] = [];
  private readonly starting = new Set<Promise<unknown>>();
  private nextNumber = 1;
  private busy: string | undefined;
  private lastFailure: ActuatorFailure | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: LocalActuatorOptions) {
    if (options.origins.length === 0) throw new HlscdnError('invalid-config', 'the local actuator needs at least one origin URL');
    this.options = options;
    this.command = options.command ?? hlscdnCommand();
    this.host = options.host ?? '127.0.0.1';
    this.now = options.now ?? Date.now;
    this.logger = (options.logger ?? silentLogger()).child({ component: 'local-actuator' });
  }

  async list(): Promise<ActuatorEdge[]> {
    return this.snapshot();
  }

  async add(count: number): Promise<string[]> {
    checkAddCount(count);
    if (this.closing) throw new HlscdnError('unavailable', 'the local actuator is closed');
    if (count === 0) return [];
    const ids = Array.from({ length: count }, () => `${this.options.idPrefix ?? 'local'}-${this.nextNumber++}`);
    this.busy = `add ${count}`;
    try {
      const launches = ids.map((id) => this.track(this.startEdge(id)));
      const results = await Promise.allSettled(launches);
      const started = ids.filter((_, i) => results[i]?.status === 'fulfilled');
      const failures = results.flatMap((r) => (r.status === 'rejected' ? [errorMessage(r.reason)] : []));
      if (failures.length > 0) {
        const message = `${failures.length} of ${count} local edges failed to start: ${failures.join('; ')}`;
        this.lastFailure = { at: this.now(), operation: `add ${count}`, message };
        throw new HlscdnError('process-failed', message, { details: { started } });
      }
      this.lastFailure = undefined;
      return started;
    } finally {
      this.busy = undefined;
    }
  }

  async remove(id: string): Promise<void> {
    const edge = this.edges.get(id);
    if (!edge) return;
    edge.state = 'stopping';
    this.busy = `remove ${id}`;
    try {
      const info = await edge.process?.stop();
      this.logger.info({ id, code: info?.code, signal: info?.signal }, 'local edge stopped');
    } finally {
      this.edges.delete(id);
      this.busy = undefined;
    }
  }

  state(): ActuatorState {
    return {
      kind: 'local',
      edges: this.snapshot(),
      ...(this.busy && { busy: this.busy }),
      ...(this.lastFailure && { lastFailure: this.lastFailure }),
      details: { exited: this.exited.map((e) => ({ ...e })) },
    };
  }

  /** Stops every edge (each drains, then exits) and waits for them. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private snapshot(): ActuatorEdge[] {
    return [...this.edges.values()].map(({ id, state, url, process }) => ({ id, state, url, ...(process && { pid: process.pid }) }));
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.starting.add(promise);
    return promise.finally(() => this.starting.delete(promise));
  }

  private async startEdge(id: string): Promise<void> {
    const basePort = this.options.basePort ?? 0;
    const n = Number(id.slice(id.lastIndexOf('-') + 1));
    // A free port can be taken between our probe and nginx's bind: with free ports, try a few.
    const attempts = basePort === 0 ? 3 : 1;
    let otherFailures = 0;
    for (let attempt = 1; ; attempt++) {
      const port = basePort === 0 ? await findFreePort(this.host) : basePort + n - 1;
      try {
        await this.launch(id, port);
        return;
      } catch (error) {
        this.edges.delete(id);
        const inUse = isHlscdnError(error) && /address already in use/i.test(error.message);
        // Any other failure gets one more try, under the same id (so the autoscaler does not see it vanish and
        // launch a replacement of its own): seen in CI on a loaded machine, an edge's nginx exited 2 s after starting.
        const retry = inUse ? attempt < attempts : otherFailures++ === 0;
        if (!retry) throw error;
        this.logger.warn(
          { id, port, error: errorMessage(error) },
          inUse ? 'port taken meanwhile: trying another' : 'edge failed to start: trying once more',
        );
      }
    }
  }

  private async launch(id: string, port: number): Promise<void> {
    const probeHost = this.host === '0.0.0.0' ? '127.0.0.1' : this.host;
    const url = `http://${probeHost}:${port}`;
    const edge: LocalEdge = { id, port, url, state: 'starting' };
    this.edges.set(id, edge);
    const args = [
      ...this.command.args,
      'edge',
      ...['--id', id, '--host', this.host, '--port', String(port)],
      ...this.options.origins.flatMap((origin) => ['--origin', origin]),
      ...['--data-dir', join(this.options.dataDir, id)],
    ];
    const child = await ManagedProcess.start({
      name: `edge:${id}`,
      command: this.command.command,
      args,
      env: this.options.env,
      logger: this.logger,
      readiness: { probe: edgeAnswers(url, id), timeoutMs: this.options.startTimeoutMs ?? 30_000, intervalMs: 100 },
      stopSignal: 'SIGTERM',
      stopTimeoutMs: this.options.stopTimeoutMs ?? 60_000,
    });
    edge.process = child;
    edge.state = 'running';
    child.once('exit', (info) => this.onExit(edge, child, info));
    if (this.closing) void child.stop();
    this.logger.info({ id, url, pid: child.pid }, 'local edge started');
  }

  private onExit(edge: LocalEdge, child: ManagedProcess, info: ExitInfo): void {
    const expected = edge.state === 'stopping' || this.closing !== undefined;
    this.exited.push({ id: edge.id, ...info, at: this.now(), expected });
    if (this.exited.length > (this.options.exitHistory ?? 20)) this.exited.shift();
    if (expected) return;
    if (this.edges.get(edge.id) === edge) this.edges.delete(edge.id);
    // Exit 0 is an edge that drained because someone asked it through the registry.
    if (info.code === 0) this.logger.info({ id: edge.id }, 'local edge exited after a drain: no longer managed');
    else
      this.logger.warn(
        { id: edge.id, ...info, output: child.outputTail().slice(-10) },
        'local edge exited unexpectedly: not restarted (the autoscaler decides)',
      );
  }

  private async shutdown(): Promise<void> {
    await Promise.allSettled([...this.starting]);
    await Promise.all(
      [...this.edges.values()].map(async (edge) => {
        edge.state = 'stopping';
        await edge.process?.stop();
      }),
    );
    this.edges.clear();
  }
}

/**
 * nginx of this very edge answers: an OPTIONS preflight is answered by nginx
 * itself (204) with the edge's X-Edge-Id. On its own connection, closed after:
 * a kept-alive probe connection would show in the edge's load for seconds.
 */
function edgeAnswers(url: string, id: string): () => Promise<boolean> {
  return () =>
    new Promise((resolve) => {
      const req = request(`${url}/`, { method: 'OPTIONS', agent: false, timeout: 1_000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 204 && res.headers['x-edge-id'] === id);
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(false));
      req.end();
    });
}
