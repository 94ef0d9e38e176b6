import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../core/result.js';
import type { AccessProblem } from './access-problem.js';
import { sessionIdForToken } from './session-id.js';
import { MAX_VIEWER_TOKEN_LENGTH, mintViewerToken, verifyViewerToken, type VerifyViewerTokenOptions } from './viewer-token.js';

const secret = 'viewer-secret-0123456789';
const now = 1_790_000_000;
const exp = 1_796_094_000; // 2026-12-01T03:00:00Z
const options: VerifyViewerTokenOptions = { secret, nowSec: now, requestPath: '/live/a/master.m3u8', clientIp: '203.0.113.7' };

/** A token signed with `secret` over any payload text, to reach the checks after the signature. */
function signRaw(payloadText: string, key = secret): string {
  const payload = Buffer.from(payloadText).toString('base64url');
  return `${payload}.${createHmac('sha256', key).update(payload).digest('base64url')}`;
}

function problem(result: Result<unknown, AccessProblem>): Pick<AccessProblem, 'code' | 'status'> & { message: string } {
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

describe('verifyViewerToken', () => {
  it('accepts a valid token and reports what it grants', () => {
    const token = mintViewerToken({ exp, path: '/live/a/', sub: 'viewer-42' }, secret);
    expect(verifyViewerToken(token, options)).toEqual({
      ok: true,
      value: { scope: '/live/a/', exp, sub: 'viewer-42', sessionId: sessionIdForToken(token) },
    });
    expect(verifyViewerToken(token, { ...options, requestPath: '/live/a/hd/index.m3u8' }).ok).toBe(true);
  });

  it('treats a scope without trailing slash as a directory', () => {
    const token = mintViewerToken({ exp, path: '/live/a' }, secret);
    expect(verifyViewerToken(token, options)).toMatchObject({ ok: true, value: { scope: '/live/a/' } });
    expect(problem(verifyViewerToken(token, { ...options, requestPath: '/live/ab/master.m3u8' })).code).toBe('out-of-scope');
    // A hand-signed payload without the slash is read the same way.
    const raw = signRaw(JSON.stringify({ exp, path: '/live/a' }));
    expect(verifyViewerToken(raw, options)).toMatchObject({ ok: true, value: { scope: '/live/a/' } });
  });

  it('reports a missing token', () => {
    for (const token of [undefined, null, '']) {
      expect(problem(verifyViewerToken(token, options))).toMatchObject({ code: 'missing', status: 403 });
    }
  });

  it('refuses forged tokens: flipped bytes or another secret', () => {
    const token = mintViewerToken({ exp, path: '/live/a/' }, secret);
    const [payload = '', signature = ''] = token.split('.');
    const flip = (text: string, at: number) => `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
    for (const forged of [
      `${payload}.${flip(signature, 5)}`,
      `${flip(payload, 3)}.${signature}`,
      mintViewerToken({ exp, path: '/live/a/' }, 'other-secret-0123456789'),
    ]) {
      expect(problem(verifyViewerToken(forged, options))).toMatchObject({ code: 'forged', status: 403 });
    }
    // Widening the scope in the payload breaks the signature.
    const widened = Buffer.from(JSON.stringify({ exp, path: '/' })).toString('base64url');
    expect(problem(verifyViewerToken(`${widened}.${signature}`, options)).code).toBe('forged');
  });

  it('refuses an expired token with 410 and says when it expired', () => {
    const token = mintViewerToken({ exp, path: '/live/a/' }, secret);
    expect(problem(verifyViewerToken(token, { ...options, nowSec: exp }))).toEqual({
      code: 'expired',
      status: 410,
      message: 'the token expired at 2026-12-01T03:00:00Z',
    });
    expect(verifyViewerToken(token, { ...options, nowSec: exp - 1 }).ok).toBe(true);
  });

  it('refuses a token before nbf', () => {
    const token = mintViewerToken({ exp, nbf: now + 60, path: '/live/a/' }, secret);
    expect(problem(verifyViewerToken(token, options))).toMatchObject({ code: 'not-yet-valid', status: 403 });
    expect(verifyViewerToken(token, { ...options, nowSec: now + 60 })).toMatchObject({ ok: true, value: { nbf: now + 60 } });
  });

  it('refuses other streams by whole path segments', () => {
    const token = mintViewerToken({ exp, path: '/live/a/' }, secret);
    expect(problem(verifyViewerToken(token, { ...options, requestPath: '/live/b/master.m3u8' }))).toEqual({
      code: 'out-of-scope',
      status: 403,
      message: 'the token is for /live/a/, not /live/b/master.m3u8',
    });
    for (const requestPath of ['/live/ab/master.m3u8', '/live/a/%2E%2E/b/master.m3u8', '/live/a', '/master.m3u8']) {
      expect(problem(verifyViewerToken(token, { ...options, requestPath })).code, requestPath).toBe('out-of-scope');
    }
  });

  it('checks the bound IP, in any spelling of the same address', () => {
    const token = mintViewerToken({ exp, path: '/live/a/', ip: '203.0.113.7' }, secret);
    expect(verifyViewerToken(token, options)).toMatchObject({ ok: true, value: { ip: '203.0.113.7' } });
    expect(verifyViewerToken(token, { ...options, clientIp: '::ffff:203.0.113.7' }).ok).toBe(true);
    expect(problem(verifyViewerToken(token, { ...options, clientIp: '198.51.100.2' }))).toEqual({
      code: 'wrong-ip',
      status: 403,
      message: 'the token is bound to 203.0.113.7, not 198.51.100.2',
    });
    expect(problem(verifyViewerToken(token, { ...options, clientIp: undefined })).code).toBe('wrong-ip');
  });

  it('refuses malformed tokens', () => {
    const cases: Record<string, string> = {
      garbage: 'not a token',
      'no signature': 'eyJleHAiOjF9',
      'three parts': `${mintViewerToken({ exp, path: '/live/a/' }, secret)}.x`,
      oversized: `${'a'.repeat(MAX_VIEWER_TOKEN_LENGTH)}.${'b'.repeat(43)}`,
      'bad JSON': signRaw('{"exp": 1,'),
      'JSON array': signRaw('[1,2]'),
      'missing exp': signRaw(JSON.stringify({ path: '/live/a/' })),
      'fractional exp': signRaw(JSON.stringify({ exp: exp + 0.5, path: '/live/a/' })),
      'missing path': signRaw(JSON.stringify({ exp })),
      'relative path': signRaw(JSON.stringify({ exp, path: 'live/a/' })),
      'dot segment': signRaw(JSON.stringify({ exp, path: '/live/../a/' })),
      'bad ip': signRaw(JSON.stringify({ exp, path: '/live/a/', ip: 'example.com' })),
    };
    for (const [name, token] of Object.entries(cases)) {
      expect(problem(verifyViewerToken(token, options)), name).toMatchObject({ code: 'malformed', status: 403 });
    }
    expect(problem(verifyViewerToken(cases['missing exp'], options)).message).toBe('the token has no valid exp (whole unix seconds)');
    expect(problem(verifyViewerToken(cases.oversized, options)).message).toMatch(/over the 2 KiB limit/);
  });

  it('accepts tokens signed with any secret of a rotation, and only those', () => {
    const previous = 'previous-secret-0123456789';
    const oldToken = mintViewerToken({ exp, path: '/live/a/' }, previous);
    const newToken = mintViewerToken({ exp, path: '/live/a/' }, secret);
    const rotating = { ...options, secret: [secret, previous] };
    expect(verifyViewerToken(oldToken, rotating).ok).toBe(true);
    expect(verifyViewerToken(newToken, rotating).ok).toBe(true);
    expect(problem(verifyViewerToken(oldToken, options)).code).toBe('forged');
    expect(problem(verifyViewerToken(newToken, { ...options, secret: [] })).code).toBe('forged');
  });

  it('gives the same token the same session id, and other tokens others', () => {
    const token = mintViewerToken({ exp, path: '/live/a/' }, secret);
    const again = verifyViewerToken(token, options);
    const other = verifyViewerToken(mintViewerToken({ exp, path: '/live/a/', sub: 'x' }, secret), options);
    expect(again.ok && again.value.sessionId).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(again.ok && again.value.sessionId).toBe(sessionIdForToken(token));
    expect(other.ok && other.value.sessionId).not.toBe(again.ok && again.value.sessionId);
  });
});

describe('mintViewerToken', () => {
  it('refuses claims no verifier would accept', () => {
    expect(() => mintViewerToken({ exp, path: '/live/a b/' }, secret)).toThrow(RangeError);
    expect(() => mintViewerToken({ exp: 1.5, path: '/live/a/' }, secret)).toThrow(RangeError);
    expect(() => mintViewerToken({ exp, path: '/live/a/', ip: 'nope' }, secret)).toThrow(RangeError);
    expect(() => mintViewerToken({ exp, path: '/live/a/' }, '')).toThrow(RangeError);
    expect(() => mintViewerToken({ exp, path: '/live/a/', sub: 'x'.repeat(257) }, secret)).toThrow(RangeError);
  });

  it('writes the normalised scope and IP into the payload', () => {
    const token = mintViewerToken({ exp, path: '/live/a', ip: '::ffff:203.0.113.7' }, secret);
    const payload: unknown = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'));
    expect(payload).toEqual({ exp, path: '/live/a/', ip: '203.0.113.7' });
  });
});
