import { describe, expect, it } from 'vitest';
import { nginxUriBytes } from './nginx-uri-path.js';
import { appendSignature, signEdgeUrl } from './sign-edge-url.js';

const secret = 's3cret-s3cret-s3cret';

// Expected digests were computed outside this code with the recipe from the nginx
// secure_link docs:
//   printf '<expires><path> <secret>' | openssl md5 -binary | openssl base64 | tr +/ -_ | tr -d =
describe('signEdgeUrl', () => {
  it('matches the openssl recipe for a plain path', () => {
    expect(signEdgeUrl({ path: '/live/seg1.ts', expiresAt: 1_700_000_000, secret })).toEqual({
      md5: 'bajlsGBOVUWOERyNVbUiWQ',
      expires: 1_700_000_000,
    });
  });

  it('hashes the decoded path as UTF-8', () => {
    expect(signEdgeUrl({ path: '/live/café.ts', expiresAt: 1_700_000_000, secret }).md5).toBe('8LCtmMJuWHexNwfyQykLvg');
  });

  it('produces unpadded base64url', () => {
    const { md5 } = signEdgeUrl({ path: '/a', expiresAt: 1, secret });
    expect(md5).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('floors fractional expiry so the parameter and the hash agree', () => {
    const signature = signEdgeUrl({ path: '/live/seg1.ts', expiresAt: 1_700_000_000.9, secret });
    expect(signature).toEqual({ md5: 'bajlsGBOVUWOERyNVbUiWQ', expires: 1_700_000_000 });
  });

  it('changes with the path, the expiry and the secret', () => {
    const base = signEdgeUrl({ path: '/live/seg1.ts', expiresAt: 1_700_000_000, secret }).md5;
    expect(signEdgeUrl({ path: '/live/seg2.ts', expiresAt: 1_700_000_000, secret }).md5).not.toBe(base);
    expect(signEdgeUrl({ path: '/live/seg1.ts', expiresAt: 1_700_000_001, secret }).md5).not.toBe(base);
    expect(signEdgeUrl({ path: '/live/seg1.ts', expiresAt: 1_700_000_000, secret: `${secret}x` }).md5).not.toBe(base);
  });

  it('rejects a non-finite or negative expiry', () => {
    expect(() => signEdgeUrl({ path: '/a', expiresAt: Number.NaN, secret })).toThrow(RangeError);
    expect(() => signEdgeUrl({ path: '/a', expiresAt: -1, secret })).toThrow(RangeError);
  });
});

describe('appendSignature', () => {
  it('adds md5 and expires without touching the input URL', () => {
    const url = new URL('http://edge.example:8080/live/seg1.ts');
    const signed = appendSignature(url, { expiresAt: 1_700_000_000, secret });
    expect(signed.searchParams.get('md5')).toBe('bajlsGBOVUWOERyNVbUiWQ');
    expect(signed.searchParams.get('expires')).toBe('1700000000');
    expect(signed.pathname).toBe('/live/seg1.ts');
    expect(url.search).toBe('');
  });

  it('keeps other parameters and replaces an old signature', () => {
    const url = new URL('http://edge/live/seg1.ts?session=7&md5=old&expires=1');
    const signed = appendSignature(url, { expiresAt: 1_700_000_000, secret });
    expect(signed.searchParams.get('session')).toBe('7');
    expect(signed.searchParams.getAll('md5')).toEqual(['bajlsGBOVUWOERyNVbUiWQ']);
    expect(signed.searchParams.getAll('expires')).toEqual(['1700000000']);
  });

  it('signs the decoded path nginx sees, not the escaped one', () => {
    const signed = appendSignature(new URL('http://edge/live/seg%201.ts'), {
      expiresAt: 1_700_000_000,
      secret,
    });
    expect(signed.searchParams.get('md5')).toBe('25kDRk9kpWuIndY5p8aqlw');
  });

  it('signs non-ASCII paths like signEdgeUrl does', () => {
    const signed = appendSignature(new URL('http://edge/live/café.ts'), { expiresAt: 1_700_000_000, secret });
    expect(signed.searchParams.get('md5')).toBe('8LCtmMJuWHexNwfyQykLvg');
  });
});

describe('nginxUriBytes', () => {
  const uri = (path: string) => nginxUriBytes(path).toString('latin1');

  it('percent-decodes to raw bytes', () => {
    expect(nginxUriBytes('/a%20b/%C3%A9').equals(Buffer.from('/a b/é', 'utf8'))).toBe(true);
  });

  it('merges slashes, including decoded ones, like merge_slashes on', () => {
    expect(uri('/live//hd///seg.ts')).toBe('/live/hd/seg.ts');
    expect(uri('/live/%2Fseg.ts')).toBe('/live/seg.ts');
  });

  it('resolves dot segments', () => {
    expect(uri('/live/x/%2E%2E/seg.ts')).toBe('/live/seg.ts');
    expect(uri('/live/./seg.ts')).toBe('/live/seg.ts');
    expect(uri('/live/x/..')).toBe('/live/');
  });

  it('keeps a malformed escape literally', () => {
    expect(uri('/a%zz')).toBe('/a%zz');
  });
});
