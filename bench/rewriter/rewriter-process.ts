/**
 * The rewriter as its own process for the benchmark, so the load tool in the
 * parent does not share its event loop. Argument: the StartRewriterOptions
 * fields as JSON ({ rewriter, signing, redisUrl }). Stops on SIGTERM/SIGINT.
 */
import { createLogger } from '../../src/core/logger.js';
import { rewriterSchema, startRewriter } from '../../src/rewriter/index.js';

interface ChildArguments {
  rewriter: unknown;
  signing: { secret?: string; ttlSec: number };
  redisUrl: string;
}

const input = JSON.parse(process.argv[2] ?? '{}') as ChildArguments;
const logger = createLogger({ name: 'rewriter-bench', level: 'warn', destination: process.stderr });
const running = await startRewriter({
  rewriter: rewriterSchema.parse(input.rewriter),
  signing: input.signing,
  registry: { redis: { url: input.redisUrl } },
  logger,
});
const stop = () => void running.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
