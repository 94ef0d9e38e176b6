/**
 * `hlscdn autoscaler ...` from the sources, for integration tests that run the
 * command as a child process (and kill it). Same global options as src/cli/main.ts.
 */
import { Command } from 'commander';
import { autoscalerCommand } from '../../src/cli/commands/autoscaler-command.js';

const program = new Command('hlscdn').option('-c, --config <file>').option('--log-level <level>');
program.addCommand(autoscalerCommand());
await program.parseAsync(process.argv);
