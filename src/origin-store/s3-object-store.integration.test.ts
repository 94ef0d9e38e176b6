import { S3Client, HeadBucketCommand } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { RetryPolicy } from '../core/retry.js';
import { describeObjectStoreContract } from './test-support/object-store-contract.js';
import { collect, expectBody, mib, pattern } from './test-support/contract-helpers.js';
import { S3ObjectStore, type S3ObjectStoreOptions } from './s3-object-store.js';
import { startS3rver, type RunningS3rver } from '../../test/support/s3rver.js';

let s3rver: RunningS3rver | undefined;
let dataDir: string;
let storeCount = 0;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hlscdn-s3rver-'));
  s3rver = await startS3rver({ directory: dataDir, bucket: 'test' });
});

afterAll(async () => {
  await s3rver?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const fastRetry: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5, jitter: 0 };

/** A store in the shared s3rver bucket under a prefix of its own, so cases never see each other's keys. */
function storeOptions(overrides: Partial<S3ObjectStoreOptions> = {}): S3ObjectStoreOptions {
  return {
    bucket: 'test',
    prefix: `streams/t${++storeCount}/`,
    endpoint: s3rver!.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    // Small, so a 6 MiB body goes up in two parts.
    multipartThresholdBytes: 5 * mib,
    partSizeBytes: 5 * mib,
    retry: fastRetry,
    ...overrides,
  };
}

describeObjectStoreContract(
  's3 (s3rver)',
  async () => {
    const store = new S3ObjectStore(storeOptions());
    return { store, cleanup: () => store.close() };
  },
  {
    nonAtomicOverwrite: 's3rver 3.7 rewrites the object file in place; real S3 replaces objects atomically',
    listOrderAcrossDirectories: 's3rver 3.7 lists in file-tree walk order; real S3 lists in UTF-8 byte order',
  },
);

interface ProxiedRequest {
  method: string;
  url: string;
  status: number;
}

/**
 * A node:http proxy in front of s3rver that answers 503 SlowDown (S3's
 * throttling answer) to the requests `failWhen` picks and logs every request.
 * It forwards headers untouched, so SigV4 signatures made for it still verify.
 */
async function startFaultProxy(failWhen: (request: ProxiedRequest, index: number) => boolean) {
  const requests: ProxiedRequest[] = [];
  const server = createServer((req, res) => {
    const entry: ProxiedRequest = { method: req.method ?? '', url: req.url ?? '', status: 0 };
    requests.push(entry);
    if (failWhen(entry, requests.length - 1)) {
      req.resume();
      req.on('end', () => {
        entry.status = 503;
        res.writeHead(503, { 'content-type': 'application/xml' });
        res.end(
          '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>',
        );
      });
      return;
    }
    const upstream = request(
      { host: '127.0.0.1', port: Number(new URL(s3rver!.endpoint).port), method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        entry.status = answer.statusCode ?? 0;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('S3ObjectStore against s3rver', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function proxiedStore(
    failWhen: (request: ProxiedRequest, index: number) => boolean,
    overrides: Partial<S3ObjectStoreOptions> = {},
  ) {
    const proxy = await startFaultProxy(failWhen);
    const store = new S3ObjectStore(storeOptions({ endpoint: proxy.endpoint, ...overrides }));
    cleanups.push(proxy.close, () => store.close());
    return { proxy, store };
  }

  it('retries 503 SlowDown answers with backoff, then succeeds', async () => {
    const { proxy, store } = await proxiedStore((_request, index) => index < 2);
    const meta = await store.put('live/seg.ts', 'segment');
    expect(meta.size).toBe(7);
    expect(proxy.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['PUT 503', 'PUT 503', 'PUT 200', 'HEAD 200']);
    expect((await expectBody(await store.get('live/seg.ts'))).bytes.toString()).toBe('segment');
  });

  it('retries a throttled part of a multipart upload without resending the others', async () => {
    let failedOnce = false;
    const { proxy, store } = await proxiedStore((request) => {
      if (failedOnce || !request.url.includes('partNumber=2')) return false;
      failedOnce = true;
      return true;
    });
    const data = pattern(6 * mib, 9);
    await store.put('vod/big.mp4', data);
    const parts = proxy.requests.filter((r) => r.url.includes('partNumber='));
    expect(parts.map((r) => `${/partNumber=(\d+)/.exec(r.url)?.[1]} ${r.status}`).sort()).toEqual(['1 200', '2 200', '2 503']);
    expect(proxy.requests.some((r) => r.method === 'POST' && /[?&]uploads/.test(r.url))).toBe(true);
    expect((await expectBody(await store.get('vod/big.mp4'))).bytes.equals(data)).toBe(true);
  });

  it("gives up after the policy's attempts with an unavailable error", async () => {
    const { proxy, store } = await proxiedStore(() => true, { retry: { ...fastRetry, maxAttempts: 3 } });
    await expect(store.put('live/seg.ts', 'x')).rejects.toMatchObject({
      code: 'unavailable',
      details: { s3Error: 'SlowDown', httpStatus: 503 },
    });
    expect(proxy.requests).toHaveLength(3);
    await expect(store.check()).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('does not retry an answer that will not change, and reports it as upstream', async () => {
    const { proxy, store } = await proxiedStore(() => false, { bucket: 'no-such-bucket' });
    await expect(store.put('live/seg.ts', 'x')).rejects.toMatchObject({ code: 'upstream', details: { s3Error: 'NoSuchBucket' } });
    expect(proxy.requests).toHaveLength(1);
    await expect(store.check()).rejects.toMatchObject({ code: 'upstream' });
  });

  it('puts small bodies in one request and sends content type and cache control', async () => {
    const { proxy, store } = await proxiedStore(() => false);
    await store.put('live/index.m3u8', '#EXTM3U\n');
    expect(proxy.requests.map((r) => r.method)).toEqual(['PUT', 'HEAD']);
    const raw = await fetch(`${s3rver!.endpoint}/test/${store.description.split('/').slice(3).join('/')}live/index.m3u8`);
    // s3rver serves anonymous reads; what it stored is what a CDN in front of S3 would see.
    expect(raw.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(raw.headers.get('cache-control')).toBe('public, max-age=1');
    await raw.arrayBuffer();
  });

  it('keeps stores with different prefixes apart and strips the prefix from listed keys', async () => {
    const a = new S3ObjectStore(storeOptions());
    const b = new S3ObjectStore(storeOptions());
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    await a.put('x/1.ts', 'a');
    await b.put('x/1.ts', 'b');
    expect((await collect(a.list(''))).map((m) => m.key)).toEqual(['x/1.ts']);
    expect((await expectBody(await b.get('x/1.ts'))).bytes.toString()).toBe('b');
    expect(a.description).toMatch(/^s3:\/\/test\/streams\/t\d+\/$/);
  });

  it('leaves an injected client open on close', async () => {
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: s3rver!.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      maxAttempts: 1,
    });
    cleanups.push(async () => client.destroy());
    const store = new S3ObjectStore({ bucket: 'test', prefix: 'injected/', client });
    await store.put('a.ts', 'x');
    await store.close();
    await expect(client.send(new HeadBucketCommand({ Bucket: 'test' }))).resolves.toBeDefined();
  });

  it.each<[string, Partial<S3ObjectStoreOptions>]>([
    ['a part size under 5 MiB', { partSizeBytes: 1024 }],
    ['a prefix not ending in "/"', { prefix: 'streams' }],
    ['a prefix with a dot segment', { prefix: 'a/../' }],
    ['an empty bucket', { bucket: '' }],
  ])('refuses %s as invalid configuration', (_name, overrides) => {
    expect(() => new S3ObjectStore(storeOptions(overrides))).toThrow(expect.objectContaining({ code: 'invalid-config' }));
  });
});
