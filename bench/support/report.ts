/**
 * What a benchmark hands back and how it is written into docs/benchmarks.md:
 * one section per benchmark, each with the command that made its figures, the
 * machine and the date, its results and the headline ratio of hlscdn against
 * the baseline measured in the same run. Pure: text in, text out.
 */
import type { MachineInfo } from './machine.js';

export interface HeadlineRatio {
  /** What is divided by what, e.g. "origin requests per segment, round robin / hlscdn". */
  label: string;
  value: number;
  /** e.g. ">= 2" or "<= 1.10"; absent when there is no target. */
  target?: string;
  met?: boolean;
}

export interface BenchResult {
  /** Stable id, also the section's anchor: 'origin-offload', 'failover', ... */
  id: string;
  /** The section heading. */
  title: string;
  /** What is measured and how, in a paragraph or two of Markdown. */
  about: string;
  /** The command that produced these figures on its own. */
  command: string;
  /** Markdown of the results: tables, bullets. */
  results: string[];
  ratios: HeadlineRatio[];
  /** Remarks on reading the figures (why, caveats). */
  notes?: string[];
  /** What went wrong during the run (failed requests...): shown in the section, and the command exits non-zero. */
  problems?: string[];
  startedAt: Date;
  durationMs: number;
  machine: MachineInfo;
}

const formatDate = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export function describeMachine(machine: MachineInfo): string {
  return `${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}, ${machine.tools}`;
}

/** A number with a few significant digits, without trailing noise. */
export function fmt(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : 'n/a';
  return value.toFixed(digits);
}

export function formatRatio(ratio: HeadlineRatio): string {
  const target = ratio.target === undefined ? '' : ` (target ${ratio.target}: ${ratio.met ? 'met' : 'NOT met'})`;
  return `${ratio.label}: **${fmt(ratio.value)}**${target}`;
}

/** A Markdown table from a header row and data rows. `align` marks numeric columns right-aligned. */
export function table(header: string[], rows: Array<Array<string | number>>, numeric: boolean[] = header.map((_, i) => i > 0)): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (numeric[i] ? '---:' : '---')).join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

const marker = (id: string) => `<!-- bench:${id} -->`;

/** The section of one result, from its `## ` heading to its end marker. */
export function renderSection(result: BenchResult): string {
  return [
    marker(result.id),
    `## ${result.title}`,
    '',
    result.about.trim(),
    '',
    'Command:',
    '',
    '```sh',
    result.command,
    '```',
    '',
    `Run of ${formatDate(result.startedAt)} (${Math.round(result.durationMs / 1000)} s), ${describeMachine(result.machine)}, load average ${result.machine.loadAverage} at the start.`,
    '',
    ...result.results,
    '',
    ...result.ratios.map((r) => `- ${formatRatio(r)}`),
    ...(result.notes ?? []).flatMap((note) => ['', note]),
    ...(result.problems && result.problems.length > 0 ? ['', ...result.problems.map((p) => `**Problem during the run:** ${p}`)] : []),
    `<!-- /bench:${result.id} -->`,
  ].join('\n');
}

const PREAMBLE = `# Benchmarks

Written by \`npm run bench\` (bench/run-all.ts); do not edit by hand: rerun it, or one
benchmark's own command, which replaces that benchmark's section only. Each section says
what made its figures, on what machine and when. The machines of this project are small
and shared (2 cores, other jobs running): compare the ratios, measured within one run
against a baseline on the same machine at the same time, not absolute numbers across runs.
`;

/** The whole document for a suite run. */
export function renderDocument(results: BenchResult[], suite: { command: string; startedAt: Date; durationMs: number }): string {
  const summary = [
    '## Summary',
    '',
    `Suite run of ${formatDate(suite.startedAt)}, ${Math.round(suite.durationMs / 1000)} s in all: \`${suite.command}\`.`,
    '',
    ...table(['benchmark', 'headline ratio', 'value', 'target'], results.flatMap(summaryRows), [false, false, true, false]),
    ...results.filter((r) => r.problems && r.problems.length > 0).map((r) => `\n**${r.title}:** ${r.problems!.join('; ')}`),
  ].join('\n');
  return `${PREAMBLE}\n${summary}\n\n${results.map(renderSection).join('\n\n')}\n`;
}

function summaryRows(r: BenchResult): string[][] {
  return r.ratios.map((ratio) => [
    r.title,
    ratio.label,
    fmt(ratio.value),
    ratio.target === undefined ? '' : `${ratio.target} (${ratio.met ? 'met' : 'NOT met'})`,
  ]);
}

/**
 * Replaces one benchmark's section in an existing document (a benchmark run on
 * its own), or appends it when the document has none yet; its rows in the
 * summary table are replaced too, so the summary never contradicts a section.
 */
export function replaceSection(document: string, result: BenchResult): string {
  const start = document.indexOf(marker(result.id));
  const endMarker = `<!-- /bench:${result.id} -->`;
  const end = document.indexOf(endMarker);
  const section = renderSection(result);
  if (start < 0 || end < start) return `${(document.trim() === '' ? PREAMBLE : document).trimEnd()}\n\n${section}\n`;
  return replaceSummaryRows(document.slice(0, start), result) + section + document.slice(end + endMarker.length);
}

function replaceSummaryRows(head: string, result: BenchResult): string {
  const notePrefix = `${result.title} rerun on its own: `;
  // An earlier rerun note of this benchmark (and the blank line before it) makes way for the new one.
  const isOldNote = (all: string[], i: number) => all[i]!.startsWith(notePrefix) || (all[i] === '' && all[i + 1]?.startsWith(notePrefix));
  const lines = head.split('\n').filter((_, i, all) => !isOldNote(all, i));
  const own = (line: string) => line.startsWith(`| ${result.title} |`);
  const first = lines.findIndex(own);
  if (first < 0) return head;
  const rows = summaryRows(result).map((cells) => `| ${cells.join(' | ')} |`);
  const rest = lines.filter((line, i) => i < first || !own(line));
  rest.splice(first, 0, ...rows);
  const suiteLine = rest.findIndex((line) => line.startsWith('Suite run of '));
  if (suiteLine >= 0) rest.splice(suiteLine + 1, 0, '', `${notePrefix}${formatDate(result.startedAt)}.`);
  return rest.join('\n');
}
