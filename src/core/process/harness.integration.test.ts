import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHlscdnError } from '../errors.js';
import { findFreePort } from './free-port.js';
import { ManagedProcess } from './managed-process.js';
import { startNginx } from './nginx.js';
import { isGroupAlive } from './orphan-guard.js';
import { httpProbe } from './probes.js';
import { startRedisServer } from './redis-server.js';
import { startSupervisedRedisServer } from './supervised-redis-server.js';
import { waitUntil } from './wait-until.js';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hlscdn-harness-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('process harness with real programs', () => {
  it('runs a real redis-server and a real nginx, uses them, stops them, and leaves no process behind', async () => {
    const redis = await startRedisServer({ dir: join(dir, 'redis') });
    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    await client.set('hlscdn:test', 'works');
    expect(await client.get('hlscdn:test')).toBe('works');
    client.disconnect();

    const port = await findFreePort();
    const prefix = join(dir, 'nginx');
    const conf = join(dir, 'nginx.conf');
    await import('node:fs/promises').then((fs) => fs.mkdir(prefix, { recursive: true }));
    await writeFile(
      conf,
      `daemon off; master_process on; worker_processes 2; pid ${prefix}/nginx.pid; error_log stderr;
events { worker_connections 64; }
http { access_log off; client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fcgi; uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;
  server { listen 127.0.0.1:${port}; location / { return 200 "edge ok"; } } }
`,
    );
    const nginx = await startNginx({ prefixDir: prefix, configFile: conf, probe: httpProbe(`http://127.0.0.1:${port}/`) });
    const res = await fetch(`http://127.0.0.1:${port}/anything`);
    expect(await res.text()).toBe('edge ok');

    const pids = [redis.process.pid, nginx.pid];
    await Promise.all([redis.stop(), nginx.stop()]);
    for (const pid of pids) {
      expect(pidAlive(pid)).toBe(false);
      // nginx's workers live in its process group: the group must be empty too.
      expect(isGroupAlive(pid)).toBe(false);
    }
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });

  it('reports a program that exits before it is ready, with its output', async () => {
    const error = await ManagedProcess.start({
      name: 'doomed',
      command: process.execPath,
      args: ['-e', 'console.error("cannot bind: the port is taken"); process.exit(3)'],
      readiness: { probe: async () => false, timeoutMs: 5_000 },
    }).catch((e: unknown) => e);
    expect(isHlscdnError(error, 'process-failed')).toBe(true);
    expect((error as Error).message).toContain('exited before it was ready (code 3');
    expect((error as Error).message).toContain('cannot bind: the port is taken');
  });

  it('stops a program that never gets ready', async () => {
    const started = Date.now();
    const error = await ManagedProcess.start({
      name: 'sleepy',
      command: 'sleep',
      args: ['30'],
      readiness: { probe: async () => false, timeoutMs: 300, intervalMs: 20 },
    }).catch((e: unknown) => e);
    expect(isHlscdnError(error, 'process-failed')).toBe(true);
    expect((error as Error).message).toContain('did not become ready');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('escalates to SIGKILL when the stop signal is ignored', async () => {
    const proc = await ManagedProcess.start({
      name: 'stubborn',
      command: process.execPath,
      args: ['-e', 'process.on("SIGTERM", () => console.log("ignored")); console.log("up"); setInterval(() => {}, 1000)'],
      stopTimeoutMs: 300,
    });
    // The SIGTERM handler must be installed before we stop it.
    await waitUntil(() => proc.outputTail().includes('up'), { what: 'the program to start' });
    const info = await proc.stop();
    expect(info.signal).toBe('SIGKILL');
    expect(proc.outputTail()).toContain('ignored');
    expect(pidAlive(proc.pid)).toBe(false);
    expect(await proc.stop()).toEqual(info); // idempotent
  });

  it('stops a stopped (SIGSTOP) program gracefully: it is continued so it can take the stop signal', async () => {
    const proc = await ManagedProcess.start({
      name: 'frozen',
      command: process.execPath,
      args: ['-e', 'process.on("SIGTERM", () => process.exit(0)); console.log("up"); setInterval(() => {}, 1000)'],
      stopTimeoutMs: 5_000,
    });
    await waitUntil(() => proc.outputTail().includes('up'), { what: 'the program to start' });
    process.kill(proc.pid, 'SIGSTOP');
    const started = Date.now();
    expect(await proc.stop()).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('restarts a supervised redis-server that dies, on the same port and with a new pid file, until stopped', async () => {
    const redis = await startSupervisedRedisServer({ dir: join(dir, 'supervised'), restartBackoff: { baseDelayMs: 50 } });
    // The stack's reconnecting clients: ioredis finds the new server at the old address by itself.
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    client.on('error', () => undefined);
    try {
      const readPid = async () => Number((await readFile(redis.pidFile, 'utf8').catch(() => '0')).trim());
      const first = redis.process.pid;
      await waitUntil(async () => (await readPid()) === first, { what: 'the pid file' });
      // Its config file (in our directory) is in its title: a leftover redis-server is found by directory.
      expect(execFileSync('ps', ['-o', 'args=', '-p', String(first)], { encoding: 'utf8' })).toContain(join(dir, 'supervised'));
      await client.set('k', 'before');
      const restarted = new Promise((resolve) => redis.once('restart', resolve));
      process.kill(first, 'SIGKILL');
      await restarted;
      expect(redis.restarts).toBe(1);
      expect(redis.process.pid).not.toBe(first);
      expect(await readPid()).toBe(redis.process.pid);
      // Same address, empty (no persistence), and the old client is back on it.
      await waitUntil(async () => (await client.get('k').catch(() => 'down')) === null, { timeoutMs: 5_000, what: 'the client back' });
      const second = redis.process.pid;
      await redis.stop();
      expect(pidAlive(second)).toBe(false);
      // A stopped server is not restarted.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(redis.restarts).toBe(1);
      await expect(new Redis(redis.url, { lazyConnect: true, retryStrategy: () => null }).connect()).rejects.toThrow();
    } finally {
      client.disconnect();
      await redis.stop();
    }
  });

  it('calls off a pending restart when stopped while redis-server is down', async () => {
    const redis = await startSupervisedRedisServer({ dir: join(dir, 'supervised-2'), restartBackoff: { baseDelayMs: 2_000 } });
    const pid = redis.process.pid;
    const exited = new Promise((resolve) => redis.once('exit', resolve));
    process.kill(pid, 'SIGKILL');
    await exited;
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(redis.restarts).toBe(0);
    expect(redis.process.pid).toBe(pid);
  });

  it('names the missing program and how to get it', async () => {
    const { requireExecutable } = await import('./find-executable.js');
    expect(() => requireExecutable('no-such-program-hlscdn', 'install it with apt-get')).toThrow(
      /no-such-program-hlscdn was not found on PATH: install it with apt-get/,
    );
  });

  it('leaves no orphan when the parent is SIGKILLed', async () => {
    // A parent node process starts `sleep` through the harness, prints the child's pid, then we SIGKILL the parent.
    const script = `
      const { ManagedProcess } = await import(${JSON.stringify(new URL('./managed-process.ts', import.meta.url).href)});
      const p = await ManagedProcess.start({ name: 'grandchild', command: 'sleep', args: ['60'] });
      console.log('PID ' + p.pid);
      setInterval(() => {}, 1000);
    `;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    parent.stdout.on('data', (d: Buffer) => (output += d.toString()));
    const childPid = await waitUntil(() => Number(/PID (\d+)/.exec(output)?.[1]) || undefined, {
      timeoutMs: 20_000,
      what: 'the grandchild pid',
    });
    expect(pidAlive(childPid)).toBe(true);
    parent.kill('SIGKILL');
    await waitUntil(() => !pidAlive(childPid), { timeoutMs: 5_000, what: 'the orphan to be gone' });
  });
});
