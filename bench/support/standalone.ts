/**
 * What every benchmark's own command shares: knowing it was run directly (not
 * imported by run-all.ts), printing its section, and replacing that section in
 * docs/benchmarks.md unless --no-write.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderSection, replaceSection, type BenchResult } from './report.js';

export const BENCHMARKS_DOC = fileURLToPath(new URL('../../docs/benchmarks.md', import.meta.url));

/** True when the module at `moduleUrl` is the script node was started with. */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && resolve(entry) === fileURLToPath(moduleUrl);
}

/** Prints a result and, when `write`, puts its section into docs/benchmarks.md. */
export async function report(result: BenchResult, options: { write: boolean }): Promise<void> {
  console.log(`\n${renderSection(result)}\n`);
  if (!options.write) return;
  const existing = await readFile(BENCHMARKS_DOC, 'utf8').catch(() => '');
  await writeFile(BENCHMARKS_DOC, replaceSection(existing, result));
  console.log(`section "${result.title}" written to docs/benchmarks.md`);
}
