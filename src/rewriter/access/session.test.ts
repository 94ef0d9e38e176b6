import { describe, expect, it } from 'vitest';
import type { Result } from '../../core/result.js';
import { signSessionLink } from '../../edge/index.js';
import type { AccessProblem } from './access-problem.js';
import { buildSessionQuery, openSession, verifySessionQuery, type Session, type VerifySessionOptions } from './session.js';
import { mintViewerToken, verifyViewerToken, type VerifiedViewer } from './viewer-token.js';

const secret = 'session-secret-0123456789';
const now = 1_790_000_000;
const tokenExp = 1_796_094_000; // 2026-12-01T03:00:00Z
const options: VerifySessionOptions = { secret, nowSec: now, requestPath: '/live/a/hd/seg1.ts', clientIp: '203.0.113.7' };

function viewer(claims: { ip?: string; exp?: number } = {}): { token: string; viewer: VerifiedViewer } {
  const token = mintViewerToken({ exp: tokenExp, path: '/live/a', ...claims }, secret);
  const verified = verifyViewerToken(token, { secret, nowSec: now, requestPath: '/live/a/master.m3u8', clientIp: '203.0.113.7' });
  if (!verified.ok) throw new Error(verified.error.message);
  return { token, viewer: verified.value };
}

function session(overrides: Partial<Session> = {}): Session {
  return { ...openSession(viewer().viewer, { nowSec: now, sessionTtlSec: 3600 }), ...overrides };
}

function params(query: string): URLSearchParams {
  return new URLSearchParams(query);
}

function problem(result: Result<unknown, AccessProblem>): AccessProblem {
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

describe('openSession', () => {
  it('derives the id from the token and caps the expiry at the ttl', () => {
    const { viewer: v } = viewer();
    expect(openSession(v, { nowSec: now + 0.7, sessionTtlSec: 3600 })).toEqual({ sid: v.sessionId, exp: now + 3600, scope: '/live/a/' });
  });

  it('never outlives the token', () => {
    const { viewer: v } = viewer({ exp: now + 120 });
    expect(openSession(v, { nowSec: now, sessionTtlSec: 3600 }).exp).toBe(now + 120);
  });

  it("binds the token's IP, or the client's when asked", () => {
    expect(openSession(viewer({ ip: '203.0.113.7' }).viewer, { nowSec: now, sessionTtlSec: 60 }).ip).toBe('203.0.113.7');
    expect(openSession(viewer({ ip: '203.0.113.7' }).viewer, { nowSec: now, sessionTtlSec: 60, bindToIp: '198.51.100.2' }).ip).toBe(
      '203.0.113.7',
    );
    expect(openSession(viewer().viewer, { nowSec: now, sessionTtlSec: 60, bindToIp: '::ffff:198.51.100.2' }).ip).toBe('198.51.100.2');
    expect(openSession(viewer().viewer, { nowSec: now, sessionTtlSec: 60 }).ip).toBeUndefined();
    expect(() => openSession(viewer().viewer, { nowSec: now, sessionTtlSec: 60, bindToIp: 'nope' })).toThrow(RangeError);
  });

  it('gives the same token the same query, so reloads keep the session', () => {
    const first = buildSessionQuery(openSession(viewer().viewer, { nowSec: now, sessionTtlSec: 3600 }), secret);
    const again = buildSessionQuery(openSession(viewer().viewer, { nowSec: now, sessionTtlSec: 3600 }), secret);
    expect(again).toBe(first);
  });
});

describe('buildSessionQuery and verifySessionQuery', () => {
  it('round-trip, and the query appends to any URI as it is', () => {
    const s = session();
    const query = buildSessionQuery(s, secret);
    expect(query).toBe(`hs_sid=${s.sid}&hs_exp=${now + 3600}&hs_scope=/live/a/&hs_sig=${signSessionLink(s, secret)}`);
    expect(verifySessionQuery(params(query), options)).toEqual({ ok: true, value: s });
    const uri = new URL(`hd/seg1.ts?${query}`, 'https://edge.example/live/a/master.m3u8');
    expect(verifySessionQuery(uri.searchParams, { ...options, requestPath: uri.pathname })).toEqual({ ok: true, value: s });
  });

  it('round-trips an IP-bound session, IPv6 included', () => {
    for (const ip of ['203.0.113.7', '2001:db8::7']) {
      const s = session({ ip });
      const result = verifySessionQuery(params(buildSessionQuery(s, secret)), { ...options, clientIp: ip });
      expect(result).toEqual({ ok: true, value: s });
    }
  });

  it('accepts the scope percent-encoded too (the edge would not: see docs/access-tokens.md)', () => {
    const query = buildSessionQuery(session(), secret).replace('hs_scope=/live/a/', 'hs_scope=%2Flive%2Fa%2F');
    expect(verifySessionQuery(params(query), options).ok).toBe(true);
  });

  it('reports a missing session', () => {
    expect(problem(verifySessionQuery(params(''), options))).toMatchObject({ code: 'missing', status: 403 });
    expect(problem(verifySessionQuery(params('token=abc&_HLS_msn=3'), options)).code).toBe('missing');
  });

  it('refuses forged sessions: flipped byte, another secret, a widened scope', () => {
    const s = session();
    const sig = signSessionLink(s, secret);
    const flipped = `${sig.slice(0, 4)}${sig[4] === 'A' ? 'B' : 'A'}${sig.slice(5)}`;
    const forgeries = [
      buildSessionQuery(s, secret).replace(sig, flipped),
      buildSessionQuery(s, 'another-secret-0123456789'),
      buildSessionQuery(s, secret).replace('hs_scope=/live/a/', 'hs_scope=/live/'),
      buildSessionQuery(s, secret).replace(`hs_exp=${s.exp}`, `hs_exp=${s.exp + 86_400}`),
      `${buildSessionQuery(s, secret)}&hs_ip=203.0.113.7`.replace(/&hs_sig=[^&]+/, '') + `&hs_sig=${sig}`,
    ];
    for (const query of forgeries) {
      expect(problem(verifySessionQuery(params(query), options)), query).toMatchObject({ code: 'forged', status: 403 });
    }
  });

  it('refuses an expired session with 410, good through its exp second like nginx', () => {
    const query = buildSessionQuery(session({ exp: now - 1 }), secret);
    expect(problem(verifySessionQuery(params(query), options))).toMatchObject({ code: 'expired', status: 410 });
    expect(problem(verifySessionQuery(params(query), options)).message).toMatch(/^the session expired at 2026-09-21T14:13:19Z/);
    expect(verifySessionQuery(params(buildSessionQuery(session({ exp: now }), secret)), { ...options, nowSec: now + 0.9 }).ok).toBe(true);
  });

  it('refuses a session replayed on another stream', () => {
    const query = params(buildSessionQuery(session(), secret));
    expect(problem(verifySessionQuery(query, { ...options, requestPath: '/live/b/hd/seg1.ts' }))).toEqual({
      code: 'out-of-scope',
      status: 403,
      message: 'the session is for /live/a/, not /live/b/hd/seg1.ts',
    });
    for (const requestPath of ['/live/ab/seg1.ts', '/live/a/..%2F..%2Fb/seg1.ts', '/live/a%7C/x.ts']) {
      expect(problem(verifySessionQuery(query, { ...options, requestPath })).code, requestPath).toBe('out-of-scope');
    }
  });

  it('refuses a bound session from another IP', () => {
    const query = params(buildSessionQuery(session({ ip: '203.0.113.7' }), secret));
    expect(problem(verifySessionQuery(query, { ...options, clientIp: '198.51.100.2' }))).toMatchObject({ code: 'wrong-ip', status: 403 });
    expect(problem(verifySessionQuery(query, { ...options, clientIp: undefined })).code).toBe('wrong-ip');
    expect(verifySessionQuery(query, { ...options, clientIp: '::ffff:203.0.113.7' }).ok).toBe(true);
  });

  it('checks forgery before scope and scope before expiry, like the edge', () => {
    const expired = params(buildSessionQuery(session({ exp: now - 10 }), secret));
    expect(problem(verifySessionQuery(expired, { ...options, requestPath: '/live/b/x.ts' })).code).toBe('out-of-scope');
    expect(problem(verifySessionQuery(expired, { ...options, secret: 'another-secret-0123456789' })).code).toBe('forged');
  });

  it('refuses malformed queries', () => {
    const good = buildSessionQuery(session(), secret);
    const cases: Record<string, string> = {
      'no sig': good.replace(/&hs_sig=[^&]+/, ''),
      'no exp': good.replace(/&hs_exp=[^&]+/, ''),
      'short sid': good.replace(/hs_sid=[^&]+/, 'hs_sid=abc'),
      'signed exp': good.replace(/hs_exp=/, 'hs_exp=-'),
      'zero exp': good.replace(/hs_exp=[^&]+/, 'hs_exp=0'),
      'file scope': good.replace('hs_scope=/live/a/', 'hs_scope=/live/a'),
      'bad ip': `${good}&hs_ip=example.com`,
      'long sig': good.replace(/hs_sig=([^&]+)/, 'hs_sig=$1AAAA'),
    };
    for (const [name, query] of Object.entries(cases)) {
      expect(problem(verifySessionQuery(params(query), options)), name).toMatchObject({ code: 'malformed', status: 403 });
    }
    expect(problem(verifySessionQuery(params(cases['no sig'] ?? ''), options)).message).toBe('the session query lacks hs_sig');
  });

  it('verifies against any secret of a rotation', () => {
    const query = params(buildSessionQuery(session(), 'previous-secret-0123456789'));
    expect(verifySessionQuery(query, { ...options, secret: [secret, 'previous-secret-0123456789'] }).ok).toBe(true);
    expect(problem(verifySessionQuery(query, options)).code).toBe('forged');
  });
});
