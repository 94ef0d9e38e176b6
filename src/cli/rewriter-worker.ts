/**
 * The program a `hlscdn rewriter` worker runs (node:cluster forks it; see
 * commands/rewriter-command.ts). The primary has already read and validated
 * the configuration and hands the worker its parts in one environment
 * variable, so a worker loads the rewriter and nothing else of the CLI: no
 * configuration schema, no S3 SDK, no queue library (RSS per worker,
 * docs/rewriter.md "Memory").
 */
import { createLogger } from '../core/logger.js';
import { startRewriter } from '../rewriter/index.js';
import { REWRITER_WORKER_ENV, type RewriterWorkerInput } from './rewriter-worker-input.js';
import { runService } from './service-runner.js';

const raw = process.env[REWRITER_WORKER_ENV];
if (raw === undefined) {
  console.error(`hlscdn: this program is started by \`hlscdn rewriter\`, not directly (${REWRITER_WORKER_ENV} is not set)`);
  process.exit(2);
}
// Secrets are in it: nothing this process starts needs to inherit it.
delete process.env[REWRITER_WORKER_ENV];
const input = JSON.parse(raw) as RewriterWorkerInput;
await runService(async (scope) => {
  const logger = createLogger({ name: 'rewriter', level: input.logLevel });
  scope.useLogger(logger);
  scope.add(await startRewriter({ ...input.options, logger }));
});
