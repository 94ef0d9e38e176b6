/** `hlscdn up` (what `npm start` runs): the whole CDN on this machine, in the foreground until Ctrl-C. */
import { Command, Option } from 'commander';
import { startLocalStack } from '../../local-stack/index.js';
import { REWRITER_MODES, type RewriterConfig } from '../../rewriter/index.js';
import { cliContext, parsePort, parseWholeNumber } from '../cli-context.js';
import { runService } from '../service-runner.js';

interface UpFlags {
  dataDir: string;
  edges: number;
  minEdges?: number;
  maxEdges?: number;
  input?: string;
  mode: RewriterConfig['mode'];
  dashboardPort: number;
  lowLatency?: boolean;
}

export function upCommand(): Command {
  return new Command('up')
    .description(
      'run the whole CDN locally: a private redis-server (unless REDIS_URL is set), the filesystem origin store and origin server, ' +
        'two nginx edges, the rewriter, a live transcode of the test pattern, the autoscaler (1 to 4 edges unless --min-edges/--max-edges say otherwise) and the dashboard',
    )
    .option('--data-dir <dir>', 'store, private Redis, edge caches and transcoder work files; reused by the next start', './data')
    .option('--edges <n>', 'edges started at once, on ports from HLSCDN_EDGE_PORT (8081)', parseWholeNumber, 2)
    .option('--min-edges <n>', 'fewest edges the autoscaler shrinks an idle fleet to (after 5 min)', parseWholeNumber, 1)
    .option('--max-edges <n>', 'most edges the autoscaler grows the fleet to (default: 4, or --edges if more)', parseWholeNumber)
    .option('--input <url>', 'live input for the demo stream (rtmp://, srt://, http(s)://, file) instead of the test pattern')
    .addOption(
      new Option('--mode <mode>', 'how the rewriter writes segment URLs (default: redirect; absolute with --low-latency)').choices(
        REWRITER_MODES,
      ),
    )
    .option(
      '--low-latency',
      'the demo stream as low-latency HLS (0.4 s parts, blocking playlist reload; the player page plays it in low-latency mode)',
    )
    .option('--dashboard-port <port>', 'dashboard port', parsePort, 8088)
    .action(async (flags: UpFlags, command: Command) => {
      await runService(async (scope) => {
        const { config, logger } = cliContext(command, 'local-stack');
        scope.useLogger(logger);
        const stack = scope.add(
          await startLocalStack({
            config,
            logger,
            dataDir: flags.dataDir,
            edges: flags.edges,
            fleet: { minEdges: flags.minEdges, maxEdges: flags.maxEdges },
            input: flags.input,
            // Redirect mode would add a round trip to every part; absolute URIs do not.
            mode: flags.mode ?? (flags.lowLatency ? 'absolute' : 'redirect'),
            lowLatency: flags.lowLatency === true,
            dashboardPort: flags.dashboardPort,
          }),
        );
        const edges = await stack.edges();
        console.log(
          [
            'hlscdn local stack is up (Ctrl-C stops everything)',
            `  player:          ${stack.playerUrl}`,
            `  dashboard:       ${stack.dashboardUrl}`,
            `  master playlist: ${stack.masterUrl}`,
            `  origin:          ${stack.originUrl}`,
            ...edges.map((e) => `  edge ${e.id}:    ${e.url}`),
            `  autoscaler:      ${stack.autoscalerUrl}/status`,
            `  transcoder API:  ${stack.apiUrl}${stack.apiTokenFile ? ` (bearer token in ${stack.apiTokenFile})` : ''}`,
            'The live stream appears a few seconds after start (first segments).',
          ].join('\n'),
        );
      });
    });
}
