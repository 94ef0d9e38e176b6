/** `hlscdn config print`: the effective configuration, secrets redacted. */
import { Command } from 'commander';
import { listConfigLeaves, configSchema, redactConfig } from '../../config/index.js';
import { cliContext } from '../cli-context.js';
import { exitCodeFor, reportFatal } from '../service-runner.js';

export function configCommand(): Command {
  const config = new Command('config').description('inspect configuration');
  config
    .command('print')
    .description('print the effective configuration (defaults < config file < environment), secrets redacted')
    .action((_options, command: Command) => {
      try {
        const { config: effective } = cliContext(command, 'cli');
        console.log(JSON.stringify(redactConfig(effective), null, 2));
      } catch (error) {
        reportFatal(error);
        process.exitCode = exitCodeFor(error);
      }
    });
  config
    .command('env')
    .description('list every environment variable hlscdn reads (secrets also accept <NAME>_FILE)')
    .action(() => {
      for (const leaf of listConfigLeaves(configSchema))
        console.log(`${leaf.env.padEnd(44)} ${leaf.path.join('.')}${leaf.secret ? '  (secret; or ' + leaf.env + '_FILE)' : ''}`);
      console.log(`${'HLSCDN_CONFIG'.padEnd(44)} path of a JSON config file`);
      console.log(`${'REDIS_URL'.padEnd(44)} alias of HLSCDN_REDIS_URL`);
    });
  return config;
}
