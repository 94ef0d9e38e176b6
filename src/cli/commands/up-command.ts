/** `hlscdn up` (what `npm start` runs): the whole local stack in the foreground until Ctrl-C. */
import { Command } from 'commander';
import { startLocalStack } from '../../local-stack/index.js';
import { cliContext } from '../cli-context.js';
import { runService } from '../service-runner.js';

export function upCommand(): Command {
  return new Command('up')
    .description('run the local stack on embedded defaults: a private redis-server (unless REDIS_URL is set), the filesystem origin store, the origin server and two nginx edges')
    .option('--data-dir <dir>', 'directory for the store, the private Redis and the edge caches; reused by the next start', './data')
    .option('--edges <n>', 'number of edges, on consecutive ports from HLSCDN_EDGE_PORT (8081)', (v) => Number.parseInt(v, 10), 2)
    .action(async (options: { dataDir: string; edges: number }, command: Command) => {
      await runService(async (scope) => {
        const { config, logger } = cliContext(command, 'local-stack');
        scope.useLogger(logger);
        const stack = scope.add(await startLocalStack({ config, logger, dataDir: options.dataDir, edges: options.edges }));
        console.log(
          [
            'hlscdn local stack is up (Ctrl-C stops it)',
            `  origin: ${stack.originUrl}`,
            ...stack.edgeUrls.map((url, i) => `  edge ${i + 1}: ${url}`),
            `  redis:  ${stack.redisUrl.replace(/:[^:@/]*@/, ':[redacted]@')}`,
          ].join('\n'),
        );
      });
    });
}
