/** The `hlscdn` command line: one binary, a subcommand per service. */
import { Command } from 'commander';
import { autoscalerCommand } from './commands/autoscaler-command.js';
import { configCommand } from './commands/config-command.js';
import { edgeCommand } from './commands/edge-command.js';
import { edgesCommand } from './commands/edges-command.js';
import { originCommand } from './commands/origin-command.js';
import { rewriterCommand } from './commands/rewriter-command.js';
import { tasksCommand } from './commands/tasks-command.js';
import { tokenCommand } from './commands/token-command.js';
import { transcodeCommand } from './commands/transcode-command.js';
import { upCommand } from './commands/up-command.js';
import { workerCommand } from './commands/worker-command.js';

export function buildProgram(): Command {
  const program = new Command('hlscdn')
    .description('HLS CDN toolkit: transcoding into an origin store, nginx caching edges, a playlist-rewriting balancer, autoscaling')
    .option('-c, --config <file>', 'JSON configuration file (HLSCDN_CONFIG); environment variables override it')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (HLSCDN_LOG_LEVEL)')
    .showHelpAfterError()
    .addHelpText('after', '\nEvery setting can come from the environment: `hlscdn config env` lists the variables.');
  program.addCommand(upCommand());
  program.addCommand(originCommand());
  program.addCommand(transcodeCommand());
  program.addCommand(workerCommand());
  program.addCommand(tasksCommand());
  program.addCommand(rewriterCommand());
  program.addCommand(edgeCommand());
  program.addCommand(edgesCommand());
  program.addCommand(autoscalerCommand());
  program.addCommand(tokenCommand());
  program.addCommand(configCommand());
  return program;
}

await buildProgram().parseAsync(process.argv);
