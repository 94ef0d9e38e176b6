/** `hlscdn rewriter`: the viewer-facing playlist rewriter, balancing segments over the live edges of the registry. */
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { resolveWorkerCount, startServiceCluster, type WorkerCount } from '../../core/process/index.js';
import { redisOptionsFromConfig } from '../../core/redis/index.js';
import { REWRITER_MODES, type RewriterConfig } from '../../rewriter/index.js';
import { cliContext, definedOnly, parsePort } from '../cli-context.js';
import { requireRedis } from '../require-redis.js';
import { REWRITER_WORKER_ENV, type RewriterWorkerInput } from '../rewriter-worker-input.js';
import { runService } from '../service-runner.js';

interface RewriterFlags {
  host?: string;
  port?: number;
  origin?: string;
  mode?: RewriterConfig['mode'];
  workers?: WorkerCount;
}

/**
 * A playlist answer is garbage a moment after it is written: with V8's default
 * young generation (16 MiB semi-spaces) a busy worker's RSS grows to 170-200 MiB
 * of not-yet-collected answers; 4 MiB semi-spaces keep it near 110 MiB at the
 * same throughput (docs/benchmarks.md "Rewriter"). A flag the operator set wins.
 */
function workerHeapFlags(): string[] {
  const given = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  return given.includes('semi-space') ? [] : ['--max-semi-space-size=4'];
}

function parseWorkers(value: string): WorkerCount {
  if (value === 'auto') return 'auto';
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64, or auto');
  return count;
}

export function rewriterCommand(): Command {
  return new Command('rewriter')
    .description('serve playlists rewritten so segments go to live nginx edges from the Redis registry (needs REDIS_URL)')
    .option('--host <host>', 'address to bind (default 127.0.0.1; HLSCDN_REWRITER_HOST)')
    .option('--port <port>', 'port to listen on (default 8090; HLSCDN_REWRITER_PORT)', parsePort)
    .option('--origin <url>', 'origin base URL playlists are fetched from (default http://127.0.0.1:8080; HLSCDN_REWRITER_ORIGIN_URL)')
    .addOption(new Option('--mode <mode>', 'how segment URLs are written (default absolute; HLSCDN_REWRITER_MODE)').choices(REWRITER_MODES))
    .option('--workers <n|auto>', 'processes serving the port, auto = one per core (default 1; HLSCDN_REWRITER_WORKERS)', parseWorkers)
    .action(async (flags: RewriterFlags, command: Command) => {
      await runService(async (scope) => {
        const overrides = definedOnly({
          host: flags.host,
          port: flags.port,
          originUrl: flags.origin,
          mode: flags.mode,
          workers: flags.workers,
        });
        const { config, logger } = cliContext(command, 'rewriter', { rewriter: overrides });
        scope.useLogger(logger);
        const rewriter = config.rewriter;
        const redis = requireRedis(config.redis);
        const workers = resolveWorkerCount(rewriter.workers);
        const options: RewriterWorkerInput['options'] = {
          rewriter,
          signing: config.signing,
          access: config.access,
          registry: { redis: redisOptionsFromConfig(redis), keyPrefix: redis.keyPrefix, ttlMs: config.edge.ttlMs },
        };
        // As nginx's master: this process only supervises (restarts a worker that dies); the workers serve,
        // running a program that loads the rewriter alone, with the configuration read here.
        const input: RewriterWorkerInput = { logLevel: config.log.level, options };
        const cluster = scope.add(
          await startServiceCluster({
            workers,
            logger,
            workerExecArgv: workerHeapFlags(),
            exec: fileURLToPath(new URL('../rewriter-worker.js', import.meta.url)),
            env: { [REWRITER_WORKER_ENV]: JSON.stringify(input) },
          }),
        );
        const url = `http://${rewriter.host.includes(':') ? `[${rewriter.host}]` : rewriter.host}:${cluster.port}`;
        console.log(
          `rewriter serving playlists from ${rewriter.originUrl} at ${url} with ${workers} worker(s) (mode ${rewriter.mode}; player: ${url}/play/<path>.m3u8)`,
        );
      });
    });
}
