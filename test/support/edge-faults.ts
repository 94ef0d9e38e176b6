/**
 * Faults a viewer meets, injected into real edge processes of the local stack:
 * a hung nginx (SIGSTOP: the kernel still accepts connections, nothing answers,
 * its agent still heartbeats), a whole hung edge (nginx and agent stopped), a
 * whole edge SIGKILLed without deregistering, and a slow edge (nginx stopped and
 * continued in a duty cycle, so it answers, late). Each returns how to undo it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface EdgeProcesses {
  id: string;
  /** The `hlscdn edge` process: the agent. */
  agentPid: number;
  /** nginx's master, the leader of nginx's process group (workers included). */
  nginxPid: number;
}

/** The pids of a local-stack edge: the agent from the actuator, nginx from its pid file under `<dataDir>/edges/<id>`. */
export async function edgeProcesses(dataDir: string, edge: { id: string; pid?: number }): Promise<EdgeProcesses> {
  if (!edge.pid) throw new Error(`edge ${edge.id} has no process id`);
  const nginxPid = Number((await readFile(join(dataDir, 'edges', edge.id, 'nginx', 'nginx.pid'), 'utf8')).trim());
  return { id: edge.id, agentPid: edge.pid, nginxPid };
}

export type EdgeFault = 'nginx-hang' | 'edge-hang' | 'edge-kill' | 'edge-slow';
export const EDGE_FAULTS: readonly EdgeFault[] = ['nginx-hang', 'edge-hang', 'edge-kill', 'edge-slow'];

/** Injects a fault; the returned function undoes it (a no-op for a kill). */
export function injectFault(fault: EdgeFault, edge: EdgeProcesses): () => void {
  switch (fault) {
    case 'nginx-hang':
      signalGroup(edge.nginxPid, 'SIGSTOP');
      return () => signalGroup(edge.nginxPid, 'SIGCONT');
    case 'edge-hang':
      signalGroup(edge.nginxPid, 'SIGSTOP');
      signal(edge.agentPid, 'SIGSTOP');
      return () => {
        signal(edge.agentPid, 'SIGCONT');
        signalGroup(edge.nginxPid, 'SIGCONT');
      };
    case 'edge-kill':
      signal(edge.agentPid, 'SIGKILL');
      signalGroup(edge.nginxPid, 'SIGKILL');
      return () => undefined;
    case 'edge-slow':
      return slowDown(edge.nginxPid);
  }
}

/**
 * nginx runs `runningMs` out of every `runningMs + stoppedMs`: requests are
 * answered, each a few hundred ms late, like an edge with a stalling disk or a
 * saturated CPU.
 */
export function slowDown(nginxPid: number, options: { stoppedMs?: number; runningMs?: number } = {}): () => void {
  const stoppedMs = options.stoppedMs ?? 250;
  const runningMs = options.runningMs ?? 60;
  let timer: NodeJS.Timeout | undefined;
  let running = true;
  const flip = () => {
    running = !running;
    signalGroup(nginxPid, running ? 'SIGCONT' : 'SIGSTOP');
    timer = setTimeout(flip, running ? runningMs : stoppedMs);
  };
  timer = setTimeout(flip, runningMs);
  return () => {
    clearTimeout(timer);
    signalGroup(nginxPid, 'SIGCONT');
  };
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

function signalGroup(leaderPid: number, name: NodeJS.Signals): void {
  signal(-leaderPid, name);
}
