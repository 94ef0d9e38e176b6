/**
 * The `terraform` actuator: the fleet is the list of edge names in a var file
 * (`edges.auto.tfvars.json`: `{"edge_names": [...]}`) of a Terraform root module
 * that creates one edge per name (terraform/modules/edge-fleet, or
 * terraform/examples/local on one machine). add() appends new names and applies;
 * remove() takes one name out and applies, which destroys exactly that edge.
 *
 * One operation at a time (the runner queues runs). A failed apply is logged with
 * Terraform's errors, retried with backoff up to `retries` times, then reported:
 * the operation rejects, the var file goes back to the last set that applied, and
 * state() keeps the failure for /status until the next success. Nothing is hidden
 * and nothing is left half-written: the var file always names the edges the last
 * successful apply made (or the ones an apply in progress is making).
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage, HlscdnError } from '../../../core/errors.js';
import { silentLogger, type Logger } from '../../../core/logger.js';
import { retry, type RetryPolicy } from '../../../core/retry.js';
import { checkAddCount, type ActuatorEdge, type ActuatorFailure, type ActuatorState, type EdgeActuator } from '../edge-actuator.js';
import { nextEdgeNames, parseEdgeNamesFile, renderEdgeNamesFile } from './edge-names.js';
import { applyArgs, initArgs, outputArgs, readApplyOutput, readEdgeUrls, type PlanSummary } from './terraform-args.js';
import { TerraformRunner, type TerraformRun } from './terraform-runner.js';

export interface TerraformActuatorOptions {
  /** Absolute path of the root module to apply. */
  workingDir: string;
  /** Terraform's environment (PATH, cloud credentials, TF_CLI_CONFIG_FILE, TF_VAR_*...). */
  env: NodeJS.ProcessEnv;
  /** File in workingDir the actuator owns. @defaultValue 'edges.auto.tfvars.json' */
  varFile?: string;
  /** @defaultValue 'terraform' */
  binary?: string;
  /** Longest one apply may run. @defaultValue 1_800_000 */
  applyTimeoutMs?: number;
  /** Extra attempts after a failed apply. @defaultValue 2 */
  retries?: number;
  /** Backoff between attempts. @defaultValue `{ baseDelayMs: 5_000, maxDelayMs: 60_000, jitter: 0.5 }` */
  retryDelay?: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'jitter'>;
  /** New edges are `<namePrefix>-<n>`. @defaultValue 'edge' */
  namePrefix?: string;
  /** Run `terraform init` before the first apply. @defaultValue true */
  init?: boolean;
  logger?: Logger;
  /** Wall clock for the status. @defaultValue Date.now */
  now?: () => number;
}

/** The last apply, for /status. */
export interface ApplyRecord {
  at: number;
  operation: string;
  outcome: 'succeeded' | 'failed';
  attempts: number;
  durationMs: number;
  plan?: PlanSummary;
  errors?: string[];
}

export class TerraformActuator implements EdgeActuator {
  private readonly options: TerraformActuatorOptions;
  private readonly runner: TerraformRunner;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly varFile: string;
  private urls: Record<string, string> = {};
  /** Names in the var file as last read or written. */
  private names: string[] = [];
  private adding = new Set<string>();
  private removing = new Set<string>();
  private busy: string | undefined;
  private lastFailure: ActuatorFailure | undefined;
  private lastApply: ApplyRecord | undefined;
  private initialized = false;
  private operations: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;

  constructor(options: TerraformActuatorOptions) {
    this.options = options;
    this.varFile = options.varFile ?? 'edges.auto.tfvars.json';
    this.now = options.now ?? Date.now;
    this.logger = (options.logger ?? silentLogger()).child({ component: 'terraform-actuator', workingDir: options.workingDir });
    this.runner = new TerraformRunner({ binary: options.binary, workingDir: options.workingDir, env: options.env, logger: this.logger });
  }

  async list(): Promise<ActuatorEdge[]> {
    this.names = await this.readNames();
    return this.edges();
  }

  async add(count: number): Promise<string[]> {
    checkAddCount(count);
    return this.serialize(async () => {
      if (count === 0) return [];
      const before = await this.readNames();
      const added = nextEdgeNames(before, count, this.options.namePrefix ?? 'edge');
      for (const name of added) this.adding.add(name);
      try {
        await this.applyNames({ operation: `add ${added.join(', ')}`, before, after: [...before, ...added] });
      } catch (error) {
        throw new HlscdnError('process-failed', errorMessage(error), { cause: error, details: { started: [] } });
      } finally {
        this.adding.clear();
      }
      return added;
    });
  }

  remove(id: string): Promise<void> {
    return this.serialize(async () => {
      const before = await this.readNames();
      if (!before.includes(id)) return;
      this.removing.add(id);
      try {
        await this.applyNames({ operation: `remove ${id}`, before, after: before.filter((name) => name !== id) });
      } finally {
        this.removing.delete(id);
      }
    });
  }

  state(): ActuatorState {
    return {
      kind: 'terraform',
      edges: this.edges(),
      ...(this.busy && { busy: this.busy }),
      ...(this.lastFailure && { lastFailure: this.lastFailure }),
      details: { workingDir: this.options.workingDir, varFile: this.varFile, ...(this.lastApply && { lastApply: this.lastApply }) },
    };
  }

  /** Waits for the operation in progress (an apply is never cut short: that could leave the state locked); the edges stay. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.operations.catch(() => undefined);
      await this.runner.idle();
    })();
    return this.closing;
  }

  private edges(): ActuatorEdge[] {
    const names = [...new Set([...this.names, ...this.adding])];
    return names.map((id) => {
      const state: ActuatorEdge['state'] = this.adding.has(id) ? 'starting' : this.removing.has(id) ? 'stopping' : 'running';
      const url = this.urls[id];
      return url === undefined ? { id, state } : { id, state, url };
    });
  }

  /** One operation at a time, in call order; refused once closing. */
  private serialize<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(new HlscdnError('unavailable', 'the terraform actuator is closed'));
    const next = this.operations.then(operation);
    this.operations = next.catch(() => undefined);
    return next;
  }

  private async readNames(): Promise<string[]> {
    const path = join(this.options.workingDir, this.varFile);
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new HlscdnError('unavailable', `cannot read ${path}: ${errorMessage(error)}`, { cause: error });
    }
    const parsed = parseEdgeNamesFile(text, path);
    if (!parsed.ok) throw new HlscdnError('invalid-config', parsed.error.message);
    return parsed.value;
  }

  /** Written whole then renamed, so Terraform (or a reader) never sees half a file. */
  private async writeNames(names: readonly string[]): Promise<void> {
    const path = join(this.options.workingDir, this.varFile);
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, renderEdgeNamesFile(names));
    await rename(temporary, path);
    this.names = [...names];
  }

  private async applyNames(change: { operation: string; before: string[]; after: string[] }): Promise<void> {
    const { operation } = change;
    this.busy = operation;
    const started = this.now();
    let attempts = 0;
    let report: ReturnType<typeof readApplyOutput> | undefined;
    try {
      await this.ensureInit();
      await this.writeNames(change.after);
      const retries = this.options.retries ?? 2;
      const delay = this.options.retryDelay ?? { baseDelayMs: 5_000, maxDelayMs: 60_000, jitter: 0.5 };
      await retry(
        async () => {
          attempts += 1;
          const run = await this.runner.run(applyArgs({ varFile: this.varFile }), this.options.applyTimeoutMs ?? 1_800_000);
          report = readApplyOutput(run.lines);
          this.logRun(operation, attempts, run, report);
          if (run.exit.code !== 0) throw new HlscdnError('process-failed', describeFailure(operation, run, report));
        },
        {
          policy: { maxAttempts: retries + 1, ...delay },
          onRetry: ({ attempt, delayMs, error }) =>
            this.logger.warn({ operation, attempt, delayMs, error: errorMessage(error) }, 'terraform apply failed: retrying'),
        },
      );
      this.lastApply = {
        at: started,
        operation,
        outcome: 'succeeded',
        attempts,
        durationMs: this.now() - started,
        ...(report?.plan && { plan: report.plan }),
      };
      this.lastFailure = undefined;
      await this.refreshUrls();
    } catch (error) {
      const message = errorMessage(error);
      this.lastApply = {
        at: started,
        operation,
        outcome: 'failed',
        attempts,
        durationMs: this.now() - started,
        ...(report?.plan && { plan: report.plan }),
        ...(report && { errors: report.errors }),
      };
      this.lastFailure = { at: this.now(), operation, message };
      this.logger.error(
        { operation, attempts, error: message },
        'terraform apply failed for good: the var file is back to the last applied edge set',
      );
      // The file names what exists: back to the set of the last successful apply.
      await this.writeNames(change.before).catch((writeError: unknown) =>
        this.logger.error({ error: errorMessage(writeError) }, 'could not restore the var file'),
      );
      throw error;
    } finally {
      this.busy = undefined;
    }
  }

  private async ensureInit(): Promise<void> {
    if (this.initialized || this.options.init === false) return;
    const run = await this.runner.run(initArgs(), this.options.applyTimeoutMs ?? 1_800_000);
    if (run.exit.code !== 0) {
      const report = readApplyOutput(run.lines);
      throw new HlscdnError(
        'process-failed',
        `terraform init failed in ${this.options.workingDir}: ${report.errors.join('; ') || tail(run.lines)}`,
      );
    }
    this.initialized = true;
  }

  private async refreshUrls(): Promise<void> {
    const run = await this.runner.run(outputArgs(), 60_000);
    if (run.exit.code === 0) this.urls = readEdgeUrls(run.lines.join('\n'));
    else this.logger.warn({ lines: run.lines.slice(-5) }, 'terraform output failed: edge URLs unknown');
  }

  private logRun(operation: string, attempt: number, run: TerraformRun, report: ReturnType<typeof readApplyOutput>): void {
    const fields = {
      operation,
      attempt,
      code: run.exit.code,
      durationMs: run.durationMs,
      plan: report.plan,
      applied: report.applied,
      noChanges: report.noChanges,
    };
    if (run.exit.code === 0) this.logger.info(fields, 'terraform apply succeeded');
    else
      this.logger.warn(
        { ...fields, errors: report.errors, timedOut: run.timedOut, output: run.lines.slice(-20) },
        'terraform apply failed',
      );
  }
}

function tail(lines: readonly string[]): string {
  return lines
    .filter((l) => l.trim() !== '')
    .slice(-5)
    .join(' | ');
}

function describeFailure(operation: string, run: TerraformRun, report: ReturnType<typeof readApplyOutput>): string {
  const why = run.timedOut ? 'timed out' : `exit code ${run.exit.code ?? run.exit.signal}`;
  const details = report.errors.length > 0 ? report.errors.join('; ') : tail(run.lines);
  return `terraform apply (${operation}) failed, ${why}: ${details}`;
}
