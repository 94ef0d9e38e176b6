import { describe, expect, it } from 'vitest';
import { accessSchema, mintViewerToken } from '../access/index.js';
import { createViewerAccess } from './viewer-access.js';

const SECRET = 'viewer-access-secret-0123456789';
const START = Date.UTC(2026, 11, 1, 12);

describe('createViewerAccess', () => {
  const check = createViewerAccess(accessSchema.parse({ enabled: true, secret: SECRET, bindIp: true, sessionTtlSec: 60 }))!;
  const request = (target: string, nowMs = START, clientIp = '10.0.0.5') => {
    const [path, search = ''] = target.split('?') as [string, string?];
    return check({ path, params: new URLSearchParams(search), search, clientIp, nowMs });
  };
  const token = mintViewerToken({ path: '/live/', exp: START / 1000 + 3_600 }, SECRET);

  it('is off unless enabled with a secret', () => {
    expect(createViewerAccess(accessSchema.parse({}))).toBeUndefined();
  });

  it('opens a session bound to the client from a token, then admits reloads with it until it expires, from the same client only', () => {
    const opened = request(`/live/master.m3u8?token=${token}`);
    expect(opened.ok).toBe(true);
    const session = opened.ok ? opened.value : '';
    expect(session).toMatch(/^hs_sid=[\w-]{16}&hs_exp=\d+&hs_scope=\/live\/&hs_ip=10\.0\.0\.5&hs_sig=/);
    // Twice: the second answer comes from the verified-session memory and must agree with the first.
    for (let i = 0; i < 2; i++) expect(request(`/live/v0/index.m3u8?${session}&cb=${i}`)).toEqual({ ok: true, value: session });
    const elsewhere = request(`/live/v0/index.m3u8?${session}`, START, '10.0.0.6');
    expect(elsewhere.ok ? undefined : elsewhere.error.code).toBe('wrong-ip');
    const later = request(`/live/v0/index.m3u8?${session}`, START + 61_000);
    expect(later.ok ? undefined : [later.error.code, later.error.status]).toEqual(['expired', 410]);
    const forged = request(`/live/v0/index.m3u8?${session.replace(/hs_sig=.*/, 'hs_sig=AAAAAAAAAAAAAAAAAAAAAA')}`);
    expect(forged.ok ? undefined : forged.error.code).toBe('forged');
    const other = request(`/other/v0/index.m3u8?${session}`);
    expect(other.ok ? undefined : other.error.code).toBe('out-of-scope');
  });

  it('says how to get in when the request has neither a token nor a session', () => {
    const refused = request('/live/master.m3u8?session=abc');
    expect(refused.ok ? undefined : [refused.error.status, refused.error.message]).toEqual([
      403,
      'this stream needs a viewer token: add ?token=<token>',
    ]);
  });
});
