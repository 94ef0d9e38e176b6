/**
 * No orphans when the parent exits. Three layers, because each alone has a gap:
 * - every child gets its own process group (`detached`), and stopping it ends the
 *   group, which also reaches grandchildren such as nginx workers;
 * - on Linux the child is started through `setpriv --pdeathsig TERM`, so the
 *   kernel signals it even when this process is SIGKILLed;
 * - a process 'exit' hook kills every group still registered.
 */
import { execFileSync } from 'node:child_process';

const liveGroups = new Set<number>();
let hookInstalled = false;

export function trackProcessGroup(pid: number): void {
  liveGroups.add(pid);
  if (!hookInstalled) {
    hookInstalled = true;
    process.on('exit', () => {
      for (const group of liveGroups) killGroup(group, 'SIGKILL');
    });
  }
}

export function untrackProcessGroup(pid: number): void {
  liveGroups.delete(pid);
}

/** Signals a whole process group; false when it no longer exists. */
export function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

export function isGroupAlive(pid: number): boolean {
  return killGroup(pid, 0 as unknown as NodeJS.Signals);
}

let setprivSupport: boolean | undefined;

/** The argv prefix that makes the kernel send SIGTERM to the child when we die, if this system can. */
export function parentDeathPrefix(): string[] {
  if (process.platform !== 'linux') return [];
  if (setprivSupport === undefined) {
    try {
      execFileSync('setpriv', ['--pdeathsig', 'TERM', '--', 'true'], { stdio: 'ignore', timeout: 5_000 });
      setprivSupport = true;
    } catch {
      setprivSupport = false;
    }
  }
  return setprivSupport ? ['setpriv', '--pdeathsig', 'TERM', '--'] : [];
}
