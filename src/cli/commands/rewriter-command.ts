/** `hlscdn rewriter`: the viewer-facing playlist rewriter, balancing segments over the live edges of the registry. */
import { Command, Option } from 'commander';
import { redisOptionsFromConfig } from '../../core/redis/index.js';
import { REWRITER_MODES, startRewriter, type RewriterConfig } from '../../rewriter/index.js';
import { cliContext, definedOnly, parsePort } from '../cli-context.js';
import { requireRedis } from '../require-redis.js';
import { runService } from '../service-runner.js';

interface RewriterFlags {
  host?: string;
  port?: number;
  origin?: string;
  mode?: RewriterConfig['mode'];
}

export function rewriterCommand(): Command {
  return new Command('rewriter')
    .description('serve playlists rewritten so segments go to live nginx edges from the Redis registry (needs REDIS_URL)')
    .option('--host <host>', 'address to bind (default 127.0.0.1; HLSCDN_REWRITER_HOST)')
    .option('--port <port>', 'port to listen on (default 8090; HLSCDN_REWRITER_PORT)', parsePort)
    .option('--origin <url>', 'origin base URL playlists are fetched from (default http://127.0.0.1:8080; HLSCDN_REWRITER_ORIGIN_URL)')
    .addOption(new Option('--mode <mode>', 'how segment URLs are written (default absolute; HLSCDN_REWRITER_MODE)').choices(REWRITER_MODES))
    .action(async (flags: RewriterFlags, command: Command) => {
      await runService(async (scope) => {
        const overrides = definedOnly({ host: flags.host, port: flags.port, originUrl: flags.origin, mode: flags.mode });
        const { config, logger } = cliContext(command, 'rewriter', { rewriter: overrides });
        scope.useLogger(logger);
        const rewriter = config.rewriter;
        const redis = requireRedis(config.redis);
        const running = scope.add(
          await startRewriter({
            rewriter,
            signing: config.signing,
            registry: { redis: redisOptionsFromConfig(redis), keyPrefix: redis.keyPrefix, ttlMs: config.edge.ttlMs },
            logger,
          }),
        );
        console.log(
          `rewriter serving playlists from ${rewriter.originUrl} at ${running.url} (mode ${rewriter.mode}; player: ${running.url}/play/<path>.m3u8)`,
        );
      });
    });
}
