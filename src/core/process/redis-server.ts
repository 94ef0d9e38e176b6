/**
 * A private redis-server on loopback: for the local stack and the tests. No
 * persistence, a config file (so a password never shows in `ps`), a PING probe,
 * a pid file beside the config, and (Redis 6.2+) the config file's path in the
 * process title, so `pgrep -f <dir>` finds a redis-server left behind.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isHlscdnError } from '../errors.js';
import type { Logger } from '../logger.js';
import { findFreePort } from './free-port.js';
import { requireExecutable } from './find-executable.js';
import { ManagedProcess } from './managed-process.js';
import { redisPingProbe, tcpProbe } from './probes.js';

export interface RedisServerOptions {
  /** Working directory for its config and files. */
  dir: string;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** @defaultValue a free port */
  port?: number;
  /** requirepass, for testing authenticated writers. */
  password?: string;
  logger?: Logger;
  /** After SIGTERM, how long redis-server may take before SIGKILL. @defaultValue 5_000 */
  stopTimeoutMs?: number;
}

export interface RunningRedisServer {
  url: string;
  host: string;
  port: number;
  /** Where redis-server writes its pid: `<dir>/redis-<port>.pid`. */
  pidFile: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export async function startRedisServer(options: RedisServerOptions): Promise<RunningRedisServer> {
  const binary = requireExecutable(
    'redis-server',
    'install it (Debian: apt-get install redis-server) or set REDIS_URL to an existing Redis',
  );
  const host = options.host ?? '127.0.0.1';
  await mkdir(options.dir, { recursive: true });
  // A free port can be taken between our probe and redis' bind: try a few.
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await findFreePort(host));
    const configFile = join(options.dir, `redis-${port}.conf`);
    const pidFile = join(options.dir, `redis-${port}.pid`);
    const lines = [
      `port ${port}`,
      `bind ${host}`,
      `dir ${options.dir}`,
      'save ""',
      'appendonly no',
      'daemonize no',
      'protected-mode yes',
      'logfile ""',
      `pidfile ${pidFile}`,
      ...(supportsProcTitleTemplate(binary) ? ['proc-title-template "{title} {listen-addr} {server-mode} {config-file}"'] : []),
    ];
    if (options.password) lines.push(`requirepass ${options.password}`);
    await writeFile(configFile, `${lines.join('\n')}\n`, { mode: 0o600 });
    try {
      const proc = await ManagedProcess.start({
        name: `redis-server:${port}`,
        command: binary,
        args: [configFile],
        logger: options.logger,
        // PING answers -NOAUTH with a password set; a TCP accept is then the best probe we have.
        readiness: { probe: options.password ? tcpProbe(host, port) : redisPingProbe(host, port), timeoutMs: 10_000 },
        stopSignal: 'SIGTERM',
        stopTimeoutMs: options.stopTimeoutMs ?? 5_000,
      });
      const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
      return { url: `redis://${auth}${host}:${port}`, host, port, pidFile, process: proc, stop: async () => void (await proc.stop()) };
    } catch (error) {
      const inUse = isHlscdnError(error) && /Address already in use/i.test(error.message);
      if (!inUse || options.port !== undefined || attempt >= 3) throw error;
    }
  }
}

const titleSupport = new Map<string, boolean>();

/** proc-title-template exists since Redis 6.2; an older redis-server refuses to start with it in its config. */
function supportsProcTitleTemplate(binary: string): boolean {
  let supported = titleSupport.get(binary);
  if (supported === undefined) {
    try {
      const version = /v=(\d+)\.(\d+)/.exec(execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 5_000 }));
      const [major, minor] = [Number(version?.[1] ?? 0), Number(version?.[2] ?? 0)];
      supported = major > 6 || (major === 6 && minor >= 2);
    } catch {
      supported = false;
    }
    titleSupport.set(binary, supported);
  }
  return supported;
}
