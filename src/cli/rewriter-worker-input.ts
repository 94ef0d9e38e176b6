/** What `hlscdn rewriter` hands each of its workers (rewriter-worker.ts), as JSON in one environment variable. */
import type { LoggerOptions } from '../core/logger.js';
import type { StartRewriterOptions } from '../rewriter/index.js';

export interface RewriterWorkerInput {
  logLevel: LoggerOptions['level'];
  options: Omit<StartRewriterOptions, 'logger'>;
}

export const REWRITER_WORKER_ENV = 'HLSCDN_REWRITER_WORKER';
