/** `hlscdn token`: mints a viewer access token for a stream, as the viewer's application would (docs/access-tokens.md). */
import { Command, InvalidArgumentError } from 'commander';
import { HlscdnError } from '../../core/errors.js';
import { mintViewerToken } from '../../rewriter/index.js';
import { cliContext } from '../cli-context.js';
import { exitCodeFor, reportFatal } from '../service-runner.js';

interface TokenFlags {
  path: string;
  ttl: number;
  ip?: string;
  sub?: string;
}

function parseTtl(value: string): number {
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1) throw new InvalidArgumentError('expected whole seconds, at least 1');
  return seconds;
}

export function tokenCommand(): Command {
  return new Command('token')
    .description('print a viewer access token for a stream, signed with access.secret (HLSCDN_ACCESS_SECRET)')
    .requiredOption('--path <scope>', 'the stream directory the token opens, e.g. /live/ or /live/event1/')
    .option('--ttl <seconds>', 'lifetime (default 3600)', parseTtl, 3600)
    .option('--ip <address>', 'bind the token to this client address')
    .option('--sub <id>', "the viewer's id, for your logs")
    .addHelpText('after', '\nExample: npx hlscdn token --path /live/ then open http://127.0.0.1:8090/play/live/master.m3u8?token=<token>')
    .action((flags: TokenFlags, command: Command) => {
      try {
        const { config } = cliContext(command, 'cli');
        const secret = config.access.secret;
        if (secret === undefined)
          throw new HlscdnError('invalid-config', 'access.secret is not set: set HLSCDN_ACCESS_SECRET (or HLSCDN_ACCESS_SECRET_FILE)');
        const exp = Math.floor(Date.now() / 1000) + flags.ttl;
        console.log(
          mintViewerToken({ path: flags.path, exp, ...(flags.ip && { ip: flags.ip }), ...(flags.sub && { sub: flags.sub }) }, secret),
        );
      } catch (error) {
        reportFatal(error instanceof RangeError ? new HlscdnError('invalid-input', error.message) : error);
        process.exitCode = exitCodeFor(error);
      }
    });
}
