import { describe, expect, it } from 'vitest';
import { accessSchema } from './access-config.js';

describe('accessSchema', () => {
  it('is off by default with documented defaults', () => {
    expect(accessSchema.parse({})).toEqual({
      enabled: false,
      previousSecrets: [],
      tokenParam: 'token',
      sessionTtlSec: 3600,
      bindIp: false,
    });
  });

  it('requires a secret when enabled', () => {
    expect(accessSchema.safeParse({ enabled: true }).success).toBe(false);
    expect(accessSchema.safeParse({ enabled: true, secret: 'access-secret-0123456789' }).success).toBe(true);
  });

  it('takes only secrets an edge can hold', () => {
    expect(accessSchema.safeParse({ secret: 'short' }).success).toBe(false);
    expect(accessSchema.safeParse({ secret: 'has "quotes"; and spaces' }).success).toBe(false);
    expect(accessSchema.safeParse({ previousSecrets: ['short'] }).success).toBe(false);
  });

  it('bounds the session ttl and the token parameter name', () => {
    expect(accessSchema.safeParse({ sessionTtlSec: 59 }).success).toBe(false);
    expect(accessSchema.safeParse({ sessionTtlSec: 86_401 }).success).toBe(false);
    expect(accessSchema.safeParse({ sessionTtlSec: 90.5 }).success).toBe(false);
    expect(accessSchema.safeParse({ tokenParam: 'hs_sig' }).success).toBe(false);
    expect(accessSchema.safeParse({ tokenParam: 'a b' }).success).toBe(false);
    expect(accessSchema.parse({ tokenParam: 'auth' }).tokenParam).toBe('auth');
  });
});
