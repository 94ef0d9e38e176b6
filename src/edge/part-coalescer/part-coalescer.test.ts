/**
 * The coalescer over real sockets (no nginx): a stand-in origin that holds parts, and
 * many concurrent clients. The nginx side is in ll-parts.integration.test.ts.
 */
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../core/process/index.js';
import { PartCoalescer } from './part-coalescer.js';
import { partBody, startHeldPartOrigin, summarize, timedGet, type HeldPartOrigin } from './test-support/held-part-origin.js';

const CLIENTS = 20;

describe('PartCoalescer', () => {
  let origin: HeldPartOrigin;
  let coalescer: PartCoalescer;
  const registry = new Registry();

  beforeAll(async () => {
    origin = await startHeldPartOrigin({ holdMs: 300 });
    coalescer = await PartCoalescer.start({ origins: [origin.url], registry, lingerMs: 300 });
    // First use (JIT, connections) costs tens of ms: measure steady state.
    await Promise.all(Array.from({ length: CLIENTS }, () => timedGet(`${coalescer.url}/warm/part0.m4s`)));
    registry.resetMetrics();
  });
  afterAll(async () => {
    await coalescer.close();
    await origin.close();
  });

  const all = (path: string, count = CLIENTS) => Promise.all(Array.from({ length: count }, () => timedGet(`${coalescer.url}${path}`)));

  it('makes one origin request for concurrent requests of a held part and gives everyone the bytes at once', async () => {
    const path = '/live/360p/part1.m4s';
    const results = await all(path);
    expect(origin.hits.get(path)).toBe(1);
    for (const result of results) {
      expect(result.status).toBe(200);
      expect(result.body?.equals(partBody(path))).toBe(true);
    }
    const answered = origin.answeredAt.get(path) ?? Number.NaN;
    const delay = summarize(results.map((r) => r.doneAt - answered));
    expect(delay.max).toBeLessThan(50);
    // One answer (the primary's) is for nginx to cache; the others say not to.
    expect(results.filter((r) => r.headers?.['x-accel-expires'] === undefined)).toHaveLength(1);
    expect(results.filter((r) => r.headers?.['x-accel-expires'] === '0')).toHaveLength(CLIENTS - 1);
    const metrics = await registry.getMetricsAsJSON();
    const waiters = metrics.find((m) => m.name === 'hlscdn_edge_part_coalescer_waiters_total');
    expect(waiters?.values).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ labels: { role: 'lead' }, value: 1 }),
        expect.objectContaining({ labels: { role: 'joined' }, value: CLIENTS - 1 }),
      ]),
    );
    const fetches = metrics.find((m) => m.name === 'hlscdn_edge_part_coalescer_upstream_fetches_total');
    expect(fetches?.values).toEqual([expect.objectContaining({ labels: { result: 'answered' }, value: 1 })]);
  });

  it('does not let query tokens split a part into several fetches, and passes the headers on', async () => {
    const path = '/live/360p/part2.m4s';
    const [a, b] = await Promise.all([
      fetch(`${coalescer.url}${path}?md5=one&expires=1`),
      fetch(`${coalescer.url}${path}?md5=two&expires=2`),
    ]);
    expect(origin.hits.get(path)).toBe(1);
    expect(a?.headers.get('cache-control')).toBe('max-age=60');
    expect(b?.headers.get('content-length')).toBe(String(partBody(path).length));
    expect(b?.headers.get('content-type')).toBe('video/mp4');
    await Promise.all([a?.arrayBuffer(), b?.arrayBuffer()]);
  });

  it('streams bytes to waiters as they arrive, not at the end of the answer', async () => {
    const path = '/slow/live/part3.m4s';
    const firstBytes: number[] = [];
    await Promise.all(
      Array.from({ length: 5 }, async () => {
        const response = await fetch(`${coalescer.url}${path}`);
        const reader = response.body?.getReader();
        const first = await reader?.read();
        firstBytes.push(performance.now());
        expect(first?.done).toBe(false);
        for (;;) if ((await reader?.read())?.done !== false) break;
      }),
    );
    const ended = origin.answeredAt.get(path) ?? Number.NaN;
    // The origin waits 200 ms between the halves: every waiter saw bytes well before the end.
    for (const at of firstBytes) expect(at).toBeLessThan(ended - 100);
    expect(origin.hits.get(path)).toBe(1);
  });

  it('serves a request that arrives just after the answer from the lingering flight, then forgets it', async () => {
    const path = '/live/360p/part4.m4s';
    await timedGet(`${coalescer.url}${path}`);
    const late = await timedGet(`${coalescer.url}${path}`);
    expect(late.body?.equals(partBody(path))).toBe(true);
    expect(origin.hits.get(path)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await timedGet(`${coalescer.url}${path}`);
    expect(origin.hits.get(path)).toBe(2);
  });

  it('passes an origin 404 to every waiter and does not keep it', async () => {
    const path = '/404/live/part5.m4s';
    const results = await all(path);
    expect(results.map((r) => r.status)).toEqual(Array(CLIENTS).fill(404));
    expect(origin.hits.get(path)).toBe(1);
    await timedGet(`${coalescer.url}${path}`);
    expect(origin.hits.get(path)).toBe(2);
  });

  it('cuts every waiter when the origin dies mid-answer, without hanging anyone', async () => {
    const path = '/cut/live/part6.m4s';
    const started = performance.now();
    const results = await all(path);
    for (const result of results) expect(result.error ?? `status ${result.status} with ${result.body?.length} bytes`).toMatch(/Error/);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(coalescer.flights).toBe(0);
    const fetches = (await registry.getMetricsAsJSON()).find((m) => m.name === 'hlscdn_edge_part_coalescer_upstream_fetches_total');
    expect(fetches?.values).toEqual(expect.arrayContaining([expect.objectContaining({ labels: { result: 'failed' }, value: 1 })]));
  });

  it('refuses methods other than GET and HEAD, and targets that are not paths', async () => {
    const post = await fetch(`${coalescer.url}/live/part1.m4s`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(coalescer.url, { method: 'GET', path: '*' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(400);
  });
});

describe('PartCoalescer failures and bounds', () => {
  it('answers 502 to every waiter when no origin answers, and fails over to a backup origin', async () => {
    const dead = `http://127.0.0.1:${await findFreePort()}`;
    const alone = await PartCoalescer.start({ origins: [dead] });
    const origin = await startHeldPartOrigin({ holdMs: 50 });
    const withBackup = await PartCoalescer.start({ origins: [dead, origin.url] });
    try {
      const results = await Promise.all(Array.from({ length: 5 }, () => timedGet(`${alone.url}/live/part1.m4s`)));
      expect(results.map((r) => r.status)).toEqual([502, 502, 502, 502, 502]);
      const failedOver = await timedGet(`${withBackup.url}/live/part1.m4s`);
      expect(failedOver.status).toBe(200);
      expect(failedOver.body?.equals(partBody('/live/part1.m4s'))).toBe(true);
    } finally {
      await Promise.all([alone.close(), withBackup.close(), origin.close()]);
    }
  });

  it('answers 502 when the origin does not answer within the upstream timeout', async () => {
    const origin = await startHeldPartOrigin({ holdMs: 2_000 });
    const coalescer = await PartCoalescer.start({ origins: [origin.url], upstreamTimeoutMs: 200 });
    try {
      const started = performance.now();
      const result = await timedGet(`${coalescer.url}/live/part1.m4s`);
      expect(result.status).toBe(502);
      expect(performance.now() - started).toBeLessThan(1_500);
    } finally {
      await Promise.all([coalescer.close(), origin.close()]);
    }
  });

  it('answers 503 past maxWaitersPerKey and maxKeys', async () => {
    const origin = await startHeldPartOrigin({ holdMs: 300 });
    const coalescer = await PartCoalescer.start({ origins: [origin.url], maxKeys: 1, maxWaitersPerKey: 2 });
    try {
      const pending = [timedGet(`${coalescer.url}/a/part1.m4s`), timedGet(`${coalescer.url}/a/part1.m4s`)];
      await new Promise((resolve) => setTimeout(resolve, 100));
      const extraWaiter = await timedGet(`${coalescer.url}/a/part1.m4s`);
      const extraKey = await timedGet(`${coalescer.url}/a/part2.m4s`);
      expect(extraWaiter.status).toBe(503);
      expect(extraKey.status).toBe(503);
      expect((await Promise.all(pending)).map((r) => r.status)).toEqual([200, 200]);
    } finally {
      await Promise.all([coalescer.close(), origin.close()]);
    }
  });

  it('binds loopback only', async () => {
    await expect(PartCoalescer.start({ origins: ['http://127.0.0.1:1'], host: '0.0.0.0' })).rejects.toThrow(/loopback/);
    const coalescer = await PartCoalescer.start({ origins: ['http://127.0.0.1:1'], host: '127.0.0.1' });
    expect(coalescer.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await coalescer.close();
  });

  it('closes idempotently, failing the waiters of a fetch under way', async () => {
    // An origin that never answers.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const coalescer = await PartCoalescer.start({ origins: [`http://127.0.0.1:${(silent.address() as AddressInfo).port}`] });
    const pending = timedGet(`${coalescer.url}/live/part1.m4s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await Promise.all([coalescer.close(), coalescer.close()]);
    const result = await pending;
    expect(result.status ?? result.error).toBe(502);
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });
});
