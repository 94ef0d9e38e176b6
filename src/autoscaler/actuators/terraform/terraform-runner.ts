/**
 * Runs one terraform command in a working directory under the process harness
 * (own process group, no orphans), one at a time: Terraform's state lock would
 * make a second concurrent run wait or fail, so runs queue here instead. A run
 * past its timeout gets SIGINT (Terraform stops gracefully and releases its
 * lock), then SIGKILL.
 */
import { HlscdnError } from '../../../core/errors.js';
import { silentLogger, type Logger } from '../../../core/logger.js';
import { findExecutable, ManagedProcess, type ExitInfo } from '../../../core/process/index.js';

export interface TerraformRunnerOptions {
  /** The terraform executable. @defaultValue 'terraform' */
  binary?: string;
  workingDir: string;
  /** Terraform's whole environment (PATH, cloud credentials, TF_CLI_CONFIG_FILE, TF_VAR_*...). */
  env: NodeJS.ProcessEnv;
  logger?: Logger;
}

export interface TerraformRun {
  argv: string[];
  exit: ExitInfo;
  /** stdout and stderr lines, interleaved as they came. */
  lines: string[];
  durationMs: number;
  timedOut: boolean;
}

/** Lines kept per run: a plan of a few hundred edges fits. */
const MAX_LINES = 5_000;

export class TerraformRunner {
  private readonly options: TerraformRunnerOptions;
  private readonly logger: Logger;
  private queue: Promise<unknown> = Promise.resolve();
  private current: ManagedProcess | undefined;

  constructor(options: TerraformRunnerOptions) {
    this.options = options;
    this.logger = (options.logger ?? silentLogger()).child({ component: 'terraform' });
  }

  /** Runs `terraform <args>` after any run already queued; resolves with its exit and output (a failing exit is not an error here). */
  run(args: readonly string[], timeoutMs: number): Promise<TerraformRun> {
    const next = this.queue.then(() => this.runNow(args, timeoutMs));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Resolves when every queued run has finished. */
  async idle(): Promise<void> {
    await this.queue;
  }

  private async runNow(args: readonly string[], timeoutMs: number): Promise<TerraformRun> {
    const wanted = this.options.binary ?? 'terraform';
    // Found on the PATH terraform will get, so a missing binary is one clear message.
    const binary = findExecutable(wanted, this.options.env.PATH ?? '');
    if (!binary)
      throw new HlscdnError(
        'process-failed',
        `cannot run ${wanted}: not found or not executable (install Terraform, or set autoscaler.terraform.binary)`,
      );
    const argv = [binary, ...args];
    const started = performance.now();
    const env: NodeJS.ProcessEnv = { ...this.options.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' };
    let child: ManagedProcess;
    try {
      child = await ManagedProcess.start({
        name: `terraform ${args[0] ?? ''}`.trim(),
        command: binary,
        args,
        cwd: this.options.workingDir,
        env,
        logger: this.logger,
        tailLines: MAX_LINES,
        stopSignal: 'SIGINT',
        stopTimeoutMs: 60_000,
      });
    } catch (error) {
      throw new HlscdnError('process-failed', `cannot run ${binary} in ${this.options.workingDir}`, { cause: error });
    }
    this.current = child;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.logger.warn({ argv, timeoutMs }, 'terraform run timed out: interrupting it');
      void child.stop();
    }, timeoutMs);
    const exit = await child.exited;
    clearTimeout(timer);
    this.current = undefined;
    return { argv, exit, lines: child.outputTail(), durationMs: Math.round(performance.now() - started), timedOut };
  }

  /** Interrupts the run in progress, if any (used only when the process is shutting down hard). */
  async interrupt(): Promise<void> {
    await this.current?.stop();
  }
}
