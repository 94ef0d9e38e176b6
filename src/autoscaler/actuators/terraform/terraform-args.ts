/**
 * Terraform command lines (argv, never a shell string) and what the actuator
 * reads back from Terraform's output. Pure.
 */

export interface ApplyArgsOptions {
  /** The actuator's var file, relative to the working directory. */
  varFile: string;
  /** How long to wait for the state lock held by someone else. @defaultValue 120 */
  lockTimeoutSec?: number;
}

/** `*.auto.tfvars.json` files are read by Terraform itself; any other name is passed explicitly. */
function varFileArgs(varFile: string): string[] {
  return varFile.endsWith('.auto.tfvars.json') ? [] : [`-var-file=${varFile}`];
}

export function initArgs(): string[] {
  return ['init', '-input=false', '-no-color'];
}

export function applyArgs(options: ApplyArgsOptions): string[] {
  return [
    'apply',
    '-auto-approve',
    '-input=false',
    '-no-color',
    `-lock-timeout=${options.lockTimeoutSec ?? 120}s`,
    ...varFileArgs(options.varFile),
  ];
}

export function outputArgs(): string[] {
  return ['output', '-json', '-no-color'];
}

export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
}

export interface ApplyReport {
  /** From "Plan: 1 to add, 0 to change, 2 to destroy." (absent when nothing changes). */
  plan?: PlanSummary;
  /** "No changes." was printed. */
  noChanges: boolean;
  /** From "Apply complete! Resources: 1 added, 0 changed, 0 destroyed." */
  applied?: PlanSummary;
  /** Each "Error: ..." diagnostic as "summary: detail", in order. */
  errors: string[];
}

const PLAN = /^Plan: (\d+) to add, (\d+) to change, (\d+) to destroy\./;
const APPLIED = /^Apply complete! Resources: (\d+) added, (\d+) changed, (\d+) destroyed\./;
// With -no-color, diagnostics may still sit in a box drawn with "│" (stripped before matching).
const ERROR = /^Error: (.+)$/;

export function readApplyOutput(lines: readonly string[]): ApplyReport {
  const report: ApplyReport = { noChanges: false, errors: [] };
  let block: { summary: string; body: string[] } | undefined;
  const closeBlock = () => {
    if (block) report.errors.push(describeErrorBlock(block.summary, block.body));
    block = undefined;
  };
  for (const raw of lines) {
    const line = raw.replace(/^[│╷╵]\s?/, '').trimEnd();
    const trimmed = line.trim();
    const plan = PLAN.exec(trimmed);
    if (plan) report.plan = { add: Number(plan[1]), change: Number(plan[2]), destroy: Number(plan[3]) };
    const applied = APPLIED.exec(trimmed);
    if (applied) report.applied = { add: Number(applied[1]), change: Number(applied[2]), destroy: Number(applied[3]) };
    if (trimmed.startsWith('No changes.')) report.noChanges = true;
    const error = ERROR.exec(trimmed);
    if (error) {
      closeBlock();
      block = { summary: error[1]!.trim(), body: [] };
    } else if (block) {
      block.body.push(trimmed);
    }
  }
  closeBlock();
  return report;
}

/** Longest error text kept; Terraform can print whole command outputs. */
const MAX_ERROR_CHARS = 500;

/**
 * "summary: detail", the detail being the diagnostic's last paragraph unless that
 * is only the source location ("with ...", "on main.tf line ...").
 */
function describeErrorBlock(summary: string, body: readonly string[]): string {
  const paragraphs: string[][] = [[]];
  for (const line of body) {
    if (line === '') paragraphs.push([]);
    else paragraphs[paragraphs.length - 1]!.push(line);
  }
  const detail = paragraphs
    .filter((p) => p.length > 0 && !/^(with |on )/.test(p[0]!))
    .map((p) => p.join(' '))
    .pop();
  const text = detail ? `${summary}: ${detail}` : summary;
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 3)}...` : text;
}

/** `terraform output -json` -> the `edge_urls` map (name -> URL), empty when absent or malformed. */
export function readEdgeUrls(json: string): Record<string, string> {
  try {
    const outputs = JSON.parse(json) as { edge_urls?: { value?: unknown } };
    const value = outputs.edge_urls?.value;
    if (!value || typeof value !== 'object') return {};
    return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {};
  }
}
