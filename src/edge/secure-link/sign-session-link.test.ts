import { describe, expect, it } from 'vitest';
import { isSessionLinkScope, nginxRemoteAddr, sessionLinkCovers } from './session-link-format.js';
import { sessionLinkQuery, sessionLinkSignatureMatches, signSessionLink } from './sign-session-link.js';

const secret = 's3cret-s3cret-s3cret';
const fields = { sid: 'abcdefghijklmnop', exp: 1_700_000_000, scope: '/live/a/' };

// Expected digests were computed outside this code with the recipe from the nginx
// secure_link docs, over "<exp><scope><sid><ip> <secret>":
//   printf '1700000000/live/a/abcdefghijklmnop s3cret-s3cret-s3cret' \
//     | openssl md5 -binary | openssl base64 | tr +/ -_ | tr -d =
describe('signSessionLink', () => {
  it('matches the openssl recipe without and with a bound IP', () => {
    expect(signSessionLink(fields, secret)).toBe('50LohLpBYvyKBiA3EZsgdQ');
    expect(signSessionLink({ ...fields, ip: '203.0.113.7' }, secret)).toBe('REafQMuMXx3xBW-1AkeA8Q');
  });

  it('changes with every field and the secret', () => {
    const base = signSessionLink(fields, secret);
    expect(signSessionLink({ ...fields, sid: 'abcdefghijklmnoq' }, secret)).not.toBe(base);
    expect(signSessionLink({ ...fields, exp: 1_700_000_001 }, secret)).not.toBe(base);
    expect(signSessionLink({ ...fields, scope: '/live/b/' }, secret)).not.toBe(base);
    expect(signSessionLink({ ...fields, ip: '203.0.113.8' }, secret)).not.toBe(base);
    expect(signSessionLink(fields, `${secret}x`)).not.toBe(base);
  });

  it('refuses fields that would not split unambiguously or not verify at the edge', () => {
    expect(() => signSessionLink({ ...fields, scope: '/live/a' }, secret)).toThrow(RangeError);
    expect(() => signSessionLink({ ...fields, scope: '/live/a b/' }, secret)).toThrow(RangeError);
    expect(() => signSessionLink({ ...fields, sid: 'short' }, secret)).toThrow(RangeError);
    expect(() => signSessionLink({ ...fields, sid: 'abcdefghijklmn/p' }, secret)).toThrow(RangeError);
    expect(() => signSessionLink({ ...fields, exp: 1.5 }, secret)).toThrow(RangeError);
    expect(() => signSessionLink({ ...fields, exp: 0 }, secret)).toThrow(RangeError);
    expect(() => signSessionLink({ ...fields, ip: '::ffff:1.2.3.4' }, secret)).toThrow(RangeError);
    expect(() => signSessionLink({ ...fields, ip: 'example.com' }, secret)).toThrow(RangeError);
  });
});

describe('sessionLinkQuery', () => {
  it('writes every value unescaped, the IP only when bound', () => {
    expect(sessionLinkQuery(fields, secret)).toBe(
      'hs_sid=abcdefghijklmnop&hs_exp=1700000000&hs_scope=/live/a/&hs_sig=50LohLpBYvyKBiA3EZsgdQ',
    );
    expect(sessionLinkQuery({ ...fields, ip: '203.0.113.7' }, secret)).toBe(
      'hs_sid=abcdefghijklmnop&hs_exp=1700000000&hs_scope=/live/a/&hs_ip=203.0.113.7&hs_sig=REafQMuMXx3xBW-1AkeA8Q',
    );
  });

  it('reads back the same values through URLSearchParams', () => {
    const params = new URLSearchParams(sessionLinkQuery({ ...fields, ip: '2001:db8::1' }, secret));
    expect(params.get('hs_scope')).toBe('/live/a/');
    expect(params.get('hs_ip')).toBe('2001:db8::1');
  });
});

describe('sessionLinkSignatureMatches', () => {
  it('accepts the signature and refuses any other', () => {
    const sig = signSessionLink(fields, secret);
    expect(sessionLinkSignatureMatches(fields, sig, secret)).toBe(true);
    expect(sessionLinkSignatureMatches(fields, sig, 'another-secret-0123'), 'other secret').toBe(false);
    expect(sessionLinkSignatureMatches({ ...fields, scope: '/live/b/' }, sig, secret), 'other scope').toBe(false);
    expect(sessionLinkSignatureMatches(fields, `${sig}A`, secret), 'longer').toBe(false);
    expect(sessionLinkSignatureMatches({ ...fields, sid: 'x' }, sig, secret), 'bad field').toBe(false);
  });
});

describe('session link fields', () => {
  it('accepts directory scopes only', () => {
    expect(isSessionLinkScope('/')).toBe(true);
    expect(isSessionLinkScope('/live/event-1_x.y~z/')).toBe(true);
    for (const bad of [
      '',
      'live/a/',
      '/live/a',
      '/live//a/',
      '/live/../a/',
      '/live/./a/',
      '/live/a%20b/',
      '/a|b/',
      `/${'a'.repeat(600)}/`,
    ]) {
      expect(isSessionLinkScope(bad), bad).toBe(false);
    }
  });

  it('prints addresses the way nginx fills $remote_addr', () => {
    expect(nginxRemoteAddr('203.0.113.7')).toBe('203.0.113.7');
    expect(nginxRemoteAddr('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(nginxRemoteAddr('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(nginxRemoteAddr('fe80::1%eth0')).toBeUndefined();
    expect(nginxRemoteAddr('01.2.3.4')).toBeUndefined();
    expect(nginxRemoteAddr('localhost')).toBeUndefined();
  });

  it('covers paths by whole segments, on the path nginx serves', () => {
    expect(sessionLinkCovers('/live/a/', '/live/a/seg1.ts')).toBe(true);
    expect(sessionLinkCovers('/live/a/', '/live/a/hd/seg1.ts')).toBe(true);
    expect(sessionLinkCovers('/live/a/', '/live//a/seg1.ts')).toBe(true);
    expect(sessionLinkCovers('/live/a/', '/live/ab/seg1.ts')).toBe(false);
    expect(sessionLinkCovers('/live/a/', '/live/b/seg1.ts')).toBe(false);
    expect(sessionLinkCovers('/live/a/', '/live/a/%2E%2E/b/seg1.ts')).toBe(false);
    expect(sessionLinkCovers('/live/a/', '/live/a/x%7C.ts')).toBe(false);
    expect(sessionLinkCovers('/live/a', '/live/a/seg1.ts')).toBe(false);
  });
});
