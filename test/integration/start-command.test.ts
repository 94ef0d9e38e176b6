/**
 * The README's start command as a user runs it: `hlscdn up` in its own process
 * (what `npm start` runs after building). It must serve a playable master within
 * 60 s and stop cleanly on SIGINT, leaving no process behind.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hlscdnCommand, waitUntil } from '../../src/core/process/index.js';
import { freePortsEnv } from '../support/local-stack-fixture.js';
import { processesMentioning } from '../support/processes.js';

describe('the start command', () => {
  it('serves a playable master within 60 s and stops cleanly on SIGINT', { timeout: 150_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hlscdn-start-'));
    const cli = hlscdnCommand();
    const started = Date.now();
    const child = spawn(cli.command, [...cli.args, 'up', '--data-dir', dir, '--dashboard-port', '0'], {
      env: { PATH: process.env.PATH ?? '', ...freePortsEnv, HLSCDN_STORE_URL: `file:${join(dir, 'store')}`, HLSCDN_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const masterUrl = await waitUntil(() => /master playlist:\s+(\S+)/.exec(output)?.[1], {
        timeoutMs: 60_000,
        what: `the start banner (output so far: ${output.slice(-500)})`,
      });
      expect(output).toMatch(/player:\s+http:\/\/127\.0\.0\.1:\d+\/play\/live\/master\.m3u8/);
      expect(output).toMatch(/dashboard:\s+http:\/\/127\.0\.0\.1:\d+/);
      const master = await waitUntil(
        async () => {
          const res = await fetch(masterUrl);
          return res.ok ? res.text() : undefined;
        },
        { timeoutMs: 60_000 - (Date.now() - started), intervalMs: 250, what: 'a playable master' },
      );
      const variantUrl = new URL(
        master.split('\n').find((l) => l && !l.startsWith('#'))!,
        masterUrl,
      );
      const media = await (await fetch(variantUrl)).text();
      const segment = await fetch(
        new URL(
          media.split('\n').find((l) => l && !l.startsWith('#'))!,
          variantUrl,
        ),
      );
      expect(segment.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(60_000);
    } finally {
      child.kill('SIGINT');
      const code = await Promise.race([exited, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 30_000))]);
      if (code === 'timeout') child.kill('SIGKILL');
      expect(code).toBe(0);
    }
    await waitUntil(async () => (await processesMentioning(dir)).length === 0, { timeoutMs: 10_000, what: 'no process left behind' }).catch(
      async () => {
        throw new Error(`left behind:\n${(await processesMentioning(dir)).join('\n')}`);
      },
    );
    await rm(dir, { recursive: true, force: true });
  });
});
