/**
 * How to run `hlscdn <subcommand>` as a child process: the compiled CLI when
 * running from dist/, or the TypeScript sources through tsx when running from
 * src/ (tests, `node --import tsx`), so a child always runs the same code as
 * its parent.
 */
import { fileURLToPath } from 'node:url';

export interface SelfCommand {
  command: string;
  /** Arguments before the subcommand. */
  args: string[];
}

export function hlscdnCommand(): SelfCommand {
  const fromSources = import.meta.url.endsWith('.ts');
  if (fromSources) {
    return { command: process.execPath, args: ['--import', 'tsx', fileURLToPath(new URL('../../cli/main.ts', import.meta.url))] };
  }
  return { command: process.execPath, args: [fileURLToPath(new URL('../../cli/main.js', import.meta.url))] };
}
