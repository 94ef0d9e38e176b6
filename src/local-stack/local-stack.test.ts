import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config/index.js';
import { silentLogger } from '../core/logger.js';
import { redisPingProbe, waitUntil } from '../core/process/index.js';
import { EdgeRegistryView } from '../edge-registry/index.js';
import { FsObjectStore } from '../origin-store/index.js';
import { startLocalStack } from './local-stack.js';

describe('local stack', () => {
  it('starts redis, the origin and two registered edges that serve the store, and stops everything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hlscdn-stack-'));
    const storeDir = join(dir, 'store');
    const config = loadConfig({ env: { HLSCDN_STORE_URL: `file:${storeDir}`, HLSCDN_ORIGIN_PORT: '0', HLSCDN_EDGE_PORT: '0' } });
    const stack = await startLocalStack({ config, logger: silentLogger(), dataDir: dir });
    const view = new EdgeRegistryView({ redis: { url: stack.redisUrl } });
    try {
      await new FsObjectStore({ root: storeDir }).put('live/seg.ts', 'segment-bytes');
      expect(stack.edgeUrls).toHaveLength(2);
      for (const url of stack.edgeUrls) {
        const res = await fetch(`${url}/live/seg.ts`);
        expect(await res.text()).toBe('segment-bytes');
      }
      await view.start();
      await waitUntil(() => view.snapshot().edges.length === 2, { what: 'both edges registered' });
      expect(view.snapshot().edges.map((e) => e.url).sort()).toEqual([...stack.edgeUrls].sort());
    } finally {
      await view.close();
      await stack.close();
      await rm(dir, { recursive: true, force: true });
    }
    await expect(fetch(`${stack.originUrl}/healthz`)).rejects.toThrow();
    for (const url of stack.edgeUrls) await expect(fetch(`${url}/live/seg.ts`)).rejects.toThrow();
    // The private redis-server is gone too.
    expect(await redisPingProbe('127.0.0.1', Number(new URL(stack.redisUrl).port))()).toBe(false);
  });
});
