/** Processes whose command line mentions a string (a temp dir): how tests prove nothing was left behind. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function processesMentioning(text: string): Promise<string[]> {
  try {
    const { stdout } = await run('pgrep', ['-af', text]);
    return stdout.split('\n').filter((line) => line.trim() !== '' && !line.includes('pgrep'));
  } catch {
    // pgrep exits 1 when nothing matches.
    return [];
  }
}
