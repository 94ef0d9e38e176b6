/** `hlscdn autoscaler`: the scaling loop and its status server; `hlscdn autoscaler status`: what it is doing. */
import { Command } from 'commander';
import { formatStatus, startAutoscalerService, type AutoscalerStatus } from '../../autoscaler/index.js';
import { HlscdnError, errorMessage } from '../../core/errors.js';
import { cliContext, definedOnly, parsePort, parseWholeNumber } from '../cli-context.js';
import { requireRedis } from '../require-redis.js';
import { exitCodeFor, reportFatal, runService } from '../service-runner.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

interface RunFlags {
  actuator?: string;
  min?: number;
  max?: number;
  target?: number;
  interval?: number;
  host?: string;
  port?: number;
  origin?: string[];
  dataDir?: string;
  idPrefix?: string;
  workingDir?: string;
  leaseTtl?: number;
}

/** The flags as a partial `autoscaler` section. */
function flagSection(flags: RunFlags): Record<string, unknown> {
  return {
    ...definedOnly({ actuator: flags.actuator, intervalMs: flags.interval, host: flags.host, port: flags.port }),
    policy: definedOnly({ minEdges: flags.min, maxEdges: flags.max, target: flags.target }),
    local: definedOnly({ origins: flags.origin, dataDir: flags.dataDir, idPrefix: flags.idPrefix }),
    terraform: definedOnly({ workingDir: flags.workingDir }),
    lease: definedOnly({ ttlMs: flags.leaseTtl }),
  };
}

export function autoscalerCommand(): Command {
  const command = new Command('autoscaler')
    .description(
      'run the autoscaler: reads edge load from the Redis registry, adds edges or drains and removes them (needs REDIS_URL); only the holder of the leader lease acts',
    )
    .option('--actuator <kind>', 'local (hlscdn edge child processes) or terraform (HLSCDN_AUTOSCALER_ACTUATOR)')
    .option('--min <n>', 'fewest edges (HLSCDN_AUTOSCALER_POLICY_MIN_EDGES)', parseWholeNumber)
    .option('--max <n>', 'most edges (HLSCDN_AUTOSCALER_POLICY_MAX_EDGES)', parseWholeNumber)
    .option('--target <fraction>', 'target utilization, e.g. 0.6 (HLSCDN_AUTOSCALER_POLICY_TARGET)', Number)
    .option('--interval <ms>', 'time between decisions (HLSCDN_AUTOSCALER_INTERVAL_MS)', parseWholeNumber)
    .option('--host <host>', 'status server address (default 127.0.0.1; HLSCDN_AUTOSCALER_HOST)')
    .option('--port <port>', 'status server port (default 8091; HLSCDN_AUTOSCALER_PORT)', parsePort)
    .option('--origin <url>', 'local actuator: origin URL for the edges, repeat for backups (HLSCDN_AUTOSCALER_LOCAL_ORIGINS)', collect)
    .option('--data-dir <dir>', 'local actuator: where edges keep cache and logs (HLSCDN_AUTOSCALER_LOCAL_DATA_DIR)')
    .option('--id-prefix <prefix>', 'local actuator: edge ids are <prefix>-<n>, default local (HLSCDN_AUTOSCALER_LOCAL_ID_PREFIX)')
    .option(
      '--lease-ttl <ms>',
      'leader lease lifetime: a dead leader is replaced within about this long (HLSCDN_AUTOSCALER_LEASE_TTL_MS)',
      parseWholeNumber,
    )
    .option('--working-dir <dir>', 'terraform actuator: the root module to apply (HLSCDN_AUTOSCALER_TERRAFORM_WORKING_DIR)')
    .action(async (flags: RunFlags, self: Command) => {
      await runService(async (scope) => {
        const section = flagSection(flags);
        const { config, logger } = cliContext(self, 'autoscaler', { autoscaler: section });
        scope.useLogger(logger);
        const autoscaler = config.autoscaler;
        const service = scope.add(
          await startAutoscalerService({
            autoscaler,
            redis: requireRedis(config.redis),
            edgeTtlMs: config.edge.ttlMs,
            logger,
            cwd: process.cwd(),
            env: process.env,
          }),
        );
        console.log(
          `autoscaler (${autoscaler.actuator} actuator) ${service.lease.isLeader ? 'leading' : 'following'}; status at ${service.url}/status`,
        );
      });
    });
  command
    .command('status')
    .description('print what the autoscaler is doing: leader, utilization, current and desired edges, recent decisions')
    .option('--url <url>', 'status server base URL (default http://<autoscaler.host>:<autoscaler.port>)')
    .option('--json', 'print the raw /status JSON')
    .action(async (options: { url?: string; json?: boolean }, self: Command) => {
      try {
        const { config } = cliContext(self, 'cli');
        const section = config.autoscaler;
        const base = options.url ?? `http://${section.host.includes(':') ? `[${section.host}]` : section.host}:${section.port}`;
        const status = await fetchStatus(base);
        console.log(options.json ? JSON.stringify(status, null, 2) : formatStatus(status, Date.now()));
      } catch (error) {
        reportFatal(error);
        process.exitCode = exitCodeFor(error);
      }
    });
  return command;
}

async function fetchStatus(base: string): Promise<AutoscalerStatus> {
  const url = `${base.replace(/\/$/, '')}/status`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  } catch (error) {
    throw new HlscdnError(
      'unavailable',
      `no autoscaler answers at ${url}: ${errorMessage(error)} (is \`hlscdn autoscaler\` running? pass --url)`,
    );
  }
  if (!res.ok) throw new HlscdnError('upstream', `${url} answered ${res.status}`);
  return (await res.json()) as AutoscalerStatus;
}
