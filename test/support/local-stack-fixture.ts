/** The local stack on free ports in a temp dir, for end-to-end tests. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../src/local-stack/index.js';

/** Every port 0: the stack picks free ones, so tests can run beside each other and beside a running `npm start`. */
export const freePortsEnv = {
  HLSCDN_ORIGIN_PORT: '0',
  HLSCDN_EDGE_PORT: '0',
  HLSCDN_REWRITER_PORT: '0',
  HLSCDN_AUTOSCALER_PORT: '0',
  HLSCDN_TRANSCODER_API_PORT: '0',
};

export async function startTestStack(
  name: string,
  options: {
    edges?: number;
    /** The autoscaler's bounds (LocalStackOptions.fleet): a test that counts edges pins minEdges to its fleet. */
    fleet?: LocalStackOptions['fleet'];
    /** More configuration, as environment variables. */ env?: Record<string, string>;
    lowLatency?: boolean;
    mode?: LocalStackOptions['mode'];
  } = {},
): Promise<{ stack: LocalStack; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), `hlscdn-${name}-`));
  const config = loadConfig({ env: { ...freePortsEnv, HLSCDN_STORE_URL: `file:${join(dir, 'store')}`, ...options.env } });
  const stack = await startLocalStack({
    config,
    logger: silentLogger(),
    dataDir: dir,
    dashboardPort: 0,
    ...(options.edges !== undefined && { edges: options.edges }),
    ...(options.fleet !== undefined && { fleet: options.fleet }),
    ...(options.lowLatency === true && { lowLatency: true }),
    ...(options.mode !== undefined && { mode: options.mode }),
    env: { PATH: process.env.PATH ?? '' },
  });
  return { stack, dir };
}

/** The stack's private redis-server: its port from the URL, its pid from the pid file beside its config. */
export function stackRedis(stack: LocalStack, dir: string): { port: number; pid: () => Promise<number | undefined> } {
  const port = Number(new URL(stack.redisUrl).port);
  const pidFile = join(dir, 'redis', `redis-${port}.pid`);
  return {
    port,
    pid: async () => {
      const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
      return pid > 0 ? pid : undefined;
    },
  };
}

/** The URL of the first variant a master playlist lists (`query` added, e.g. `?hlscdn_mode=absolute`). */
export async function firstVariantUrl(masterUrl: string, query = ''): Promise<string> {
  const master = await (await fetch(masterUrl + query)).text();
  const variant = master.split('\n').find((line) => line !== '' && !line.startsWith('#'));
  if (variant === undefined) throw new Error(`no variant in ${masterUrl}:\n${master}`);
  return new URL(variant, masterUrl + query).href;
}
