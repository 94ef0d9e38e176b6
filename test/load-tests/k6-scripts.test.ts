/**
 * The k6 scripts cannot run here (k6 is not installable from these machines'
 * registries), so CI type-checks them against @types/k6 (tsconfig.k6.json) and
 * checks that the generated types of their pure part are current.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');

function runTsc(args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [tsc, '-p', join(repo, 'tsconfig.k6.json'), ...args], { cwd: repo, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('k6 load-test scripts', () => {
  it('type-check against @types/k6', { timeout: 60_000 }, () => {
    expect(runTsc(['--noEmit'])).toEqual({ status: 0, output: '' });
  });

  it('ship hls.d.ts as generated from hls.js', { timeout: 60_000 }, () => {
    const out = mkdtempSync(join(tmpdir(), 'hlscdn-k6-types-'));
    try {
      const result = runTsc(['--noEmit', 'false', '--declaration', '--emitDeclarationOnly', '--outDir', out]);
      expect(result).toEqual({ status: 0, output: '' });
      const generated = readFileSync(join(out, 'lib', 'hls.d.ts'), 'utf8');
      const shipped = readFileSync(join(repo, 'load-tests', 'lib', 'hls.d.ts'), 'utf8');
      // The shipped file starts with a comment header saying how it is made.
      expect(shipped.replace(/^(\/\/.*\n)+/, '')).toBe(generated);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
