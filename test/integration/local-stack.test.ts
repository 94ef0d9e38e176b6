import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../../src/core/process/index.js';
import { startTestStack } from '../support/local-stack-fixture.js';
import { processesMentioning as processesUsing } from '../support/processes.js';

describe('local stack', () => {
  it('serves a live stream through the rewriter and two edges, and stops everything', { timeout: 120_000 }, async () => {
    const started = Date.now();
    const { stack, dir } = await startTestStack('stack');
    try {
      const edges = await stack.edges();
      expect(edges).toHaveLength(2);
      // The master appears once every rung has its first segment.
      const master = await waitUntil(
        async () => {
          const res = await fetch(stack.masterUrl);
          return res.ok ? res.text() : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 250, what: 'the live master playlist' },
      );
      const playableMs = Date.now() - started;
      expect(master).toContain('#EXT-X-STREAM-INF');
      const variant = master.split('\n').find((l) => l && !l.startsWith('#'))!;
      const media = await (await fetch(new URL(variant, stack.masterUrl))).text();
      const segment = media.split('\n').find((l) => l && !l.startsWith('#'))!;
      const res = await fetch(new URL(segment, new URL(variant, stack.masterUrl)));
      expect(res.status).toBe(200);
      expect(edges.map((e) => e.id)).toContain(res.headers.get('x-edge-id'));
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(1000);
      expect((await fetch(stack.dashboardUrl)).status).toBe(200);
      expect(playableMs).toBeLessThan(60_000);
    } finally {
      await stack.close();
    }
    await waitUntil(async () => (await processesUsing(dir)).length === 0, { timeoutMs: 15_000, what: 'no process left behind' }).catch(
      async () => {
        throw new Error(`left behind:\n${(await processesUsing(dir)).join('\n')}`);
      },
    );
    await rm(dir, { recursive: true, force: true });
  });
});
