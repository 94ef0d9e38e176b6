/** `hlscdn up` (what `npm start` runs): the whole local stack in the foreground until Ctrl-C. */
import { Command } from 'commander';
import { startLocalStack } from '../../local-stack/index.js';
import { cliContext } from '../cli-context.js';
import { runService } from '../service-runner.js';

export function upCommand(): Command {
  return new Command('up')
    .description('run the local stack on embedded defaults: a private redis-server (unless REDIS_URL is set), the filesystem origin store and the origin server')
    .option('--data-dir <dir>', 'directory for the store and the private Redis; reused by the next start', './data')
    .action(async (options: { dataDir: string }, command: Command) => {
      await runService(async (scope) => {
        const { config, logger } = cliContext(command, 'local-stack');
        scope.useLogger(logger);
        const stack = scope.add(await startLocalStack({ config, logger, dataDir: options.dataDir }));
        console.log(`hlscdn local stack is up (Ctrl-C stops it)\n  origin: ${stack.originUrl}\n  redis:  ${stack.redisUrl.replace(/:[^:@/]*@/, ':[redacted]@')}`);
      });
    });
}
