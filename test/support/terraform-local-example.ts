/**
 * Test fixture: a private copy of terraform/examples/local in a temp directory,
 * configured to start `hlscdn edge` from these sources against the test's Redis
 * and origin, ready for the terraform actuator. destroy() stops every edge it
 * started (terraform destroy, then any pid file left).
 */
import { execFile } from 'node:child_process';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { hlscdnCommand } from '../../src/core/process/index.js';

const run = promisify(execFile);
const EXAMPLE = fileURLToPath(new URL('../../terraform/examples/local', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface LocalExampleOptions {
  /** Where to put the copy, the edges' data and the CLI config. */
  dir: string;
  redisUrl: string;
  originUrl: string;
  /** The environment terraform runs in (the edges inherit it). */
  env: NodeJS.ProcessEnv;
  /** Environment added for the edges through the example's extra_env. */
  extraEnv?: Record<string, string>;
  /** @defaultValue this repository's sources through tsx */
  command?: string[];
}

export interface LocalExample {
  workingDir: string;
  /** Environment for terraform: `env` with a CLI config of its own. */
  env: NodeJS.ProcessEnv;
  /** base_port: edge <prefix>-<n> listens on basePort + n. */
  basePort: number;
  destroy(): Promise<void>;
}

export async function prepareLocalExample(options: LocalExampleOptions): Promise<LocalExample> {
  const workingDir = join(options.dir, 'tf-local');
  await cp(EXAMPLE, workingDir, {
    recursive: true,
    filter: (source) => !/[\\/](\.terraform|\.edges)([\\/]|$)|\.tfstate|\.lock\.hcl$/.test(source),
  });
  // The example uses only the built-in terraform_data: an empty CLI config keeps terraform off any registry.
  const cliConfig = join(options.dir, 'terraform-cli.tfrc');
  await writeFile(cliConfig, '# examples/local needs no provider\n');
  const basePort = (await freePortRun(5)) - 1;
  const self = hlscdnCommand();
  const dataDir = join(options.dir, 'tf-edges');
  await writeFile(
    join(workingDir, 'local.auto.tfvars.json'),
    JSON.stringify({
      redis_url: options.redisUrl,
      origin_urls: [options.originUrl],
      hlscdn_command: options.command ?? [self.command, ...self.args],
      working_dir: REPO_ROOT,
      base_port: basePort,
      data_dir: dataDir,
      start_timeout_sec: 30,
      stop_timeout_sec: 20,
      extra_env: { HLSCDN_EDGE_DRAIN_TIMEOUT_SEC: '1', HLSCDN_LOG_LEVEL: 'warn', ...options.extraEnv },
    }),
  );
  const env = { ...options.env, TF_CLI_CONFIG_FILE: cliConfig };
  return {
    workingDir,
    env,
    basePort,
    destroy: async () => {
      await run('terraform', ['destroy', '-auto-approve', '-input=false', '-no-color'], { cwd: workingDir, env, timeout: 120_000 }).catch(
        () => undefined,
      );
      // Whatever survived a failed destroy.
      const files = await readdir(dataDir).catch(() => [] as string[]);
      for (const file of files.filter((f) => f.endsWith('.pid'))) {
        const pid = Number(await readFile(join(dataDir, file), 'utf8'));
        if (pid > 0) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
    },
  };
}

/** The first of `count` consecutive loopback ports that are all free now. */
async function freePortRun(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = 20_000 + Math.floor(Math.random() * 20_000);
    const ports = Array.from({ length: count }, (_, i) => first + i);
    if ((await Promise.all(ports.map(isFree))).every(Boolean)) return first;
  }
  throw new Error(`no run of ${count} free ports found`);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
