/**
 * Redis hung for longer than the rewriter trusts its registry snapshot, while
 * the local stack (absolute mode) keeps serving: the edges still serve, the
 * rewriter's view goes stale. What players hold must not change: hls.js fails
 * the whole stream ("media sequence mismatch") when the URI of a media sequence
 * number changes between reloads. So every segment URI, once listed, stays the
 * same through the outage; only segments that appear during it go to the
 * fallback base, and once Redis answers again new segments go to edges again.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../../src/core/process/index.js';
import type { LocalStack } from '../../src/local-stack/index.js';
import { firstVariantUrl, stackRedis, startTestStack } from '../support/local-stack-fixture.js';

/** The rewriter stops trusting a snapshot this old (the default is 10 s; shorter keeps the test short). */
const MAX_SNAPSHOT_AGE_MS = 2_000;
let stack: LocalStack;
let dir: string;

beforeAll(async () => {
  ({ stack, dir } = await startTestStack('registry-outage', {
    mode: 'absolute',
    env: { HLSCDN_REWRITER_MAX_SNAPSHOT_AGE_MS: String(MAX_SNAPSHOT_AGE_MS) },
  }));
  await waitUntil(async () => (await fetch(stack.masterUrl)).ok, { timeoutMs: 45_000, intervalMs: 250, what: 'the live master playlist' });
}, 60_000);

afterAll(async () => {
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** One reload of a media playlist: its fallback header and segment URI by media sequence number. */
async function reload(mediaUrl: string): Promise<{ fallback: string | null; uris: Map<number, string> }> {
  const res = await fetch(mediaUrl);
  const text = await res.text();
  const lines = text.split('\n');
  let sequence = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? NaN);
  const uris = new Map<number, string>();
  for (const line of lines) if (line !== '' && !line.startsWith('#')) uris.set(sequence++, line);
  return { fallback: res.headers.get('x-hlscdn-fallback'), uris };
}

describe('the rewriter while Redis hangs', () => {
  it(
    'keeps every listed segment URI through the outage; new segments go to the fallback, then to edges again',
    { timeout: 90_000 },
    async () => {
      const mediaUrl = await firstVariantUrl(stack.masterUrl);
      const originHost = new URL(stack.originUrl).host;
      const seen = new Map<number, string>();
      const changed: string[] = [];
      const record = (uris: Map<number, string>) => {
        for (const [sequence, uri] of uris) {
          const before = seen.get(sequence);
          if (before !== undefined && before !== uri) changed.push(`${sequence}: ${before} -> ${uri}`);
          if (before === undefined) seen.set(sequence, uri);
        }
      };
      record((await reload(mediaUrl)).uris);
      const listedBefore = new Set(seen.keys());

      const pid = (await stackRedis(stack, dir).pid())!;
      process.kill(pid, 'SIGSTOP');
      let staleAnswers = 0;
      try {
        // Reload as a player would (faster), until the rewriter has answered from a stale registry for a while
        // and a segment that appeared during the outage has been listed.
        await waitUntil(
          async () => {
            const { fallback, uris } = await reload(mediaUrl);
            record(uris);
            if (fallback === 'registry-stale') staleAnswers++;
            const fresh = [...uris.keys()].filter((sequence) => !listedBefore.has(sequence));
            return staleAnswers >= 3 && fresh.some((sequence) => new URL(uris.get(sequence)!).host === originHost);
          },
          { timeoutMs: 30_000, intervalMs: 500, what: 'stale-registry answers listing a new segment at the fallback' },
        );
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      // Listed before the outage, listed the same during it.
      expect(changed).toEqual([]);
      for (const sequence of listedBefore) {
        const uri = seen.get(sequence)!;
        expect(new URL(uri).host, `segment ${sequence} was listed on an edge`).not.toBe(originHost);
      }

      // Redis answers again: a segment that appears now goes to an edge, and nothing listed changed meanwhile.
      const listedDuring = new Set(seen.keys());
      await waitUntil(
        async () => {
          const { fallback, uris } = await reload(mediaUrl);
          record(uris);
          const fresh = [...uris.keys()].filter((sequence) => !listedDuring.has(sequence));
          return fallback === null && fresh.some((sequence) => new URL(uris.get(sequence)!).host !== originHost);
        },
        { timeoutMs: 20_000, intervalMs: 500, what: 'a new segment on an edge after Redis came back' },
      );
      expect(changed).toEqual([]);
    },
  );
});
