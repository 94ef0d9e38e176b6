/** The machine a benchmark ran on, as docs/benchmarks.md states it: CPU, cores, memory, OS, tool versions, load. */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  /** e.g. "nginx 1.22.1, ffmpeg 5.1.6". */
  tools: string;
  /** 1-minute load average when measured. */
  loadAverage: string;
}

function versionOf(command: string, args: string[], pattern: RegExp): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) return undefined;
  return pattern.exec(`${result.stdout}${result.stderr}`)?.[1];
}

let tools: string | undefined;

export function machineInfo(): MachineInfo {
  tools ??= [
    `nginx ${versionOf('nginx', ['-v'], /nginx\/(\S+)/) ?? 'not found'}`,
    `ffmpeg ${versionOf('ffmpeg', ['-version'], /ffmpeg version (\S+)/) ?? 'not found'}`,
    `redis-server ${versionOf('redis-server', ['--version'], /v=(\S+)/) ?? 'not found'}`,
  ].join(', ');
  return {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${osType()} ${release()}`,
    node: process.version,
    tools,
    loadAverage: (loadavg()[0] ?? 0).toFixed(1),
  };
}
