import { describe, expect, it } from 'vitest';

import { FsObjectStore } from './fs-object-store.js';
import { openObjectStore } from './open-object-store.js';
import { S3ObjectStore } from './s3-object-store.js';
import { describeStoreUrl, parseStoreUrl } from './store-url.js';

const cwd = '/srv/hlscdn';

describe('parseStoreUrl', () => {
  it.each([
    ['file:./data', '/srv/hlscdn/data'],
    ['file:data/store', '/srv/hlscdn/data/store'],
    ['file:../shared', '/srv/shared'],
    ['file:/var/lib/hlscdn', '/var/lib/hlscdn'],
    ['file:///var/lib/hlscdn', '/var/lib/hlscdn'],
    ['file:///var/lib/my%20store/', '/var/lib/my store'],
    ['file://localhost/var/lib/hlscdn', '/var/lib/hlscdn'],
    ['./data', '/srv/hlscdn/data'],
    ['data', '/srv/hlscdn/data'],
    ['/var/lib/hlscdn', '/var/lib/hlscdn'],
    ['  /var/lib/hlscdn  ', '/var/lib/hlscdn'],
  ])('reads %s as the directory %s', (url, root) => {
    expect(parseStoreUrl(url, cwd)).toEqual({ ok: true, value: { kind: 'fs', root } });
  });

  it.each([
    ['s3://media', ''],
    ['s3://media/', ''],
    ['s3://media/live', 'live/'],
    ['s3://media/live/', 'live/'],
    ['s3://media/a/b/c', 'a/b/c/'],
    ['s3://media.example-1/my%20streams/', 'my streams/'],
  ])('reads %s as an S3 location with prefix %j', (url, prefix) => {
    const bucket = new URL(url).hostname;
    expect(parseStoreUrl(url, cwd)).toEqual({ ok: true, value: { kind: 's3', bucket, prefix } });
  });

  it.each([
    ['', /is empty/],
    ['file:', /names no directory/],
    ['file://fileserver/share', /not a local file URL/],
    ['http://example.com/store', /unsupported scheme "http:"/],
    ['gs://bucket/prefix', /unsupported scheme "gs:"/],
    ['s3://', /not a valid (URL|S3 bucket name)/],
    ['s3://My_Bucket/x', /not a valid S3 bucket name/],
    ['s3://ab/x', /not a valid S3 bucket name/],
    ['s3://bucket/a//b', /unusable prefix/],
    ['s3://bucket/a/../b', /unusable prefix|not a valid/],
    ['s3://bucket/p?region=eu-west-1', /query or fragment/],
    ['s3://bucket:9000/p', /port/],
    ['s3://AKIAEXAMPLE:s3cr3t@bucket/p', /carries credentials/],
  ])('refuses %j, naming the accepted forms', (url, why) => {
    const parsed = parseStoreUrl(url, cwd);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.message).toMatch(why);
    expect(parsed.error.message).toContain('accepted forms: file:./relative/dir');
    expect(parsed.error.message).toContain('s3://bucket/optional/prefix');
    expect(parsed.error.message).not.toContain('s3cr3t');
  });
});

describe('describeStoreUrl', () => {
  it('removes credentials and query strings, and keeps the rest', () => {
    expect(describeStoreUrl('s3://AKIAEXAMPLE:s3cr3t@media/live/')).toBe('s3://media/live/');
    expect(describeStoreUrl('s3://token@media/live/?X-Amz-Signature=abc')).toBe('s3://media/live/');
    expect(describeStoreUrl('file:./data')).toBe('file:./data');
    expect(describeStoreUrl('s3://media/a@b/')).toBe('s3://media/a@b/');
  });
});

describe('openObjectStore', () => {
  it('opens the fs driver for file URLs, resolved against cwd', () => {
    const store = openObjectStore('file:./data', { cwd });
    expect(store).toBeInstanceOf(FsObjectStore);
    expect(store.description).toBe('file:///srv/hlscdn/data');
  });

  it('opens the S3 driver for s3 URLs with the given settings', async () => {
    const store = openObjectStore('s3://media/live', { cwd, s3: { endpoint: 'http://127.0.0.1:1', forcePathStyle: true } });
    expect(store).toBeInstanceOf(S3ObjectStore);
    expect(store.description).toBe('s3://media/live/');
    await store.close();
  });

  it('throws invalid-config for a URL it cannot use', () => {
    expect(() => openObjectStore('ftp://x/y', { cwd })).toThrow(expect.objectContaining({ code: 'invalid-config' }));
  });
});
