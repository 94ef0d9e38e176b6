/**
 * Runs nginx in the foreground as a supervised child: `-p <prefix> -c <conf> -e stderr`,
 * so nothing touches the system nginx. The config must say `daemon off;` and keep
 * every path inside the prefix (the edge's config renderer does).
 */
import type { Logger } from '../logger.js';
import { requireExecutable } from './find-executable.js';
import { ManagedProcess } from './managed-process.js';

export interface NginxOptions {
  name?: string;
  prefixDir: string;
  configFile: string;
  /** Resolves true once nginx serves (e.g. an HTTP probe of its health endpoint). */
  probe: () => Promise<boolean>;
  logger?: Logger;
  /** Time given to in-flight requests on stop before SIGKILL. @defaultValue 10_000 */
  stopTimeoutMs?: number;
}

export const nginxInstallHint = 'install it (Debian: apt-get install nginx)';

export function startNginx(options: NginxOptions): Promise<ManagedProcess> {
  const binary = requireExecutable('nginx', nginxInstallHint);
  return ManagedProcess.start({
    name: options.name ?? 'nginx',
    command: binary,
    args: ['-p', options.prefixDir, '-c', options.configFile, '-e', 'stderr'],
    logger: options.logger,
    readiness: { probe: options.probe, timeoutMs: 10_000 },
    // SIGQUIT is nginx's graceful shutdown: in-flight requests finish (SIGTERM cuts them).
    stopSignal: 'SIGQUIT',
    stopTimeoutMs: options.stopTimeoutMs ?? 10_000,
  });
}

/** Asks a running nginx to re-read its config without dropping connections. */
export function reloadNginx(proc: ManagedProcess): boolean {
  return proc.signal('SIGHUP');
}
