/**
 * `hlscdn worker --concurrency N`: takes transcoding tasks from Redis (BullMQ) and
 * serves the control API and the SRS hooks next to them (`--no-api` to leave that to
 * other workers; `--concurrency 0` for the API alone). SIGTERM hands running live
 * tasks back to the queue so another worker continues them at once.
 */
import { resolve } from 'node:path';
import { Command } from 'commander';
import { createMetricsRegistry } from '../../core/metrics.js';
import { openStoreFromConfig } from '../../origin-store/index.js';
import { TaskWorker, prepareLaunchers, sessionSettingsFromConfig, startControlService } from '../../transcoder/index.js';
import { cliContext, parsePort } from '../cli-context.js';
import { redisOptionsFromConfig } from '../../core/redis/index.js';
import { requireRedis } from '../require-redis.js';
import { runService } from '../service-runner.js';

interface WorkerFlags {
  concurrency?: number;
  id?: string;
  api?: boolean;
  apiHost?: string;
  apiPort?: number;
  store?: string;
}

export function workerCommand(): Command {
  return new Command('worker')
    .description('run transcoding tasks from the Redis queue (needs REDIS_URL), with the control API and SRS hooks')
    .option('--concurrency <n>', 'tasks run at once; 0 = control API only (HLSCDN_TRANSCODER_WORKER_CONCURRENCY)', parseCount)
    .option('--id <id>', 'worker id shown in task records (default <hostname>-<pid>)')
    .option('--no-api', 'do not serve the control API and hooks')
    .option('--api-host <host>', 'control API address (default 127.0.0.1; HLSCDN_TRANSCODER_API_HOST)')
    .option('--api-port <port>', 'control API port (default 8092; HLSCDN_TRANSCODER_API_PORT)', parsePort)
    .option('--store <url>', 'object store: file:./dir or s3://bucket/prefix (HLSCDN_STORE_URL)')
    .action(async (flags: WorkerFlags, command: Command) => {
      await runService(async (scope) => {
        const { config, logger } = cliContext(command, 'transcoder', flags.store ? { store: { url: flags.store } } : {});
        scope.useLogger(logger);
        const section = config.transcoder;
        const redis = requireRedis(config.redis);
        const redisOptions = { ...redisOptionsFromConfig(redis), keyPrefix: redis.keyPrefix };
        const concurrency = flags.concurrency ?? section.worker.concurrency;
        const registry = createMetricsRegistry({ service: 'transcoder' });
        if (concurrency > 0) {
          const store = scope.add(await openStoreFromConfig(config.store, process.cwd()));
          const launchers = await prepareLaunchers({ ffmpegPath: section.ffmpegPath, ffprobePath: section.ffprobePath });
          const worker = scope.add(
            await TaskWorker.start({
              redis: redisOptions,
              store,
              workDir: resolve(section.workDir),
              launchers,
              id: flags.id ?? section.worker.id,
              concurrency,
              queueName: section.worker.queueName,
              lockDurationMs: section.worker.lockDurationMs,
              stalledIntervalMs: section.worker.stalledIntervalMs,
              maxStalledCount: section.worker.maxStalledCount,
              stopPollMs: section.worker.stopPollMs,
              progressIntervalMs: section.worker.progressIntervalMs,
              session: sessionSettingsFromConfig(section),
              registry,
              logger,
            }),
          );
          console.log(`worker ${worker.id} takes up to ${concurrency} task(s), writing into ${store.description}`);
        }
        if (flags.api !== false) {
          if (!config.api.token) logger.warn('no api.token (HLSCDN_API_TOKEN) is set: the control API refuses every task request');
          const api = scope.add(
            await startControlService({
              redis: redisOptions,
              token: config.api.token,
              host: flags.apiHost ?? section.api.host,
              port: flags.apiPort ?? section.api.port,
              transcoder: section,
              registry,
              logger,
            }),
          );
          console.log(`transcoder control API at ${api.url}${section.hooks.srs.enabled ? ` (SRS hooks at ${api.url}/hooks/srs)` : ''}`);
        }
      });
    });
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 64) throw new Error(`"${value}" is not a task count (0-64)`);
  return n;
}
