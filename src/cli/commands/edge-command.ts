/** `hlscdn edge`: one nginx caching edge plus its registry agent, in the foreground; SIGTERM drains it. */
import { Command } from 'commander';
import { EdgeService } from '../../edge/index.js';
import { cliContext, definedOnly, parsePort } from '../cli-context.js';
import { requireRedis } from '../require-redis.js';
import { runService } from '../service-runner.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function edgeCommand(): Command {
  return new Command('edge')
    .description(
      'run an nginx caching edge and its agent, which heartbeats load into the Redis registry (needs REDIS_URL); SIGTERM or Ctrl-C drains it',
    )
    .option('--id <id>', 'registry id (default edge-<port>; HLSCDN_EDGE_ID)')
    .option('--host <host>', 'viewer-facing address (default 127.0.0.1; HLSCDN_EDGE_HOST)')
    .option('--port <port>', 'viewer-facing port (default 8081; HLSCDN_EDGE_PORT)', parsePort)
    .option('--origin <url>', 'origin base URL, repeat for backups (default http://127.0.0.1:8080; HLSCDN_EDGE_ORIGINS)', collect)
    .option('--public-url <url>', 'base URL viewers reach this edge at (HLSCDN_EDGE_PUBLIC_URL)')
    .option('--zone <zone>', 'zone for zone-aware selection (HLSCDN_EDGE_ZONE)')
    .option('--weight <n>', 'capacity weight relative to other edges (HLSCDN_EDGE_CAPACITY_WEIGHT)', Number)
    .option('--data-dir <dir>', 'cache, logs and nginx.conf (default ./data/edges/<id>; HLSCDN_EDGE_DATA_DIR)')
    .action(
      async (
        options: {
          id?: string;
          host?: string;
          port?: number;
          origin?: string[];
          publicUrl?: string;
          zone?: string;
          weight?: number;
          dataDir?: string;
        },
        command: Command,
      ) => {
        await runService(async (scope) => {
          const { config, logger } = cliContext(command, 'edge', {
            edge: {
              ...definedOnly({
                id: options.id,
                host: options.host,
                port: options.port,
                origins: options.origin,
                publicUrl: options.publicUrl,
                zone: options.zone,
                dataDir: options.dataDir,
              }),
              ...(options.weight !== undefined && { capacity: { weight: options.weight } }),
            },
          });
          scope.useLogger(logger);
          const edge = scope.add(
            await EdgeService.start({
              edge: config.edge,
              redis: requireRedis(config.redis),
              signing: config.signing,
              access: config.access,
              logger,
              cwd: process.cwd(),
            }),
          );
          // A drain requested through the registry ends the process once the edge is gone.
          edge.once('stopped', (reason) => {
            logger.info({ reason }, 'exiting');
            process.exit(reason === 'drained' ? 0 : 1);
          });
          console.log(`edge ${edge.id} serving at ${edge.url} (status ${edge.statusUrl}, agent ${edge.agentUrl})`);
        });
      },
    );
}
