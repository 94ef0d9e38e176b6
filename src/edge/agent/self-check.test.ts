import { describe, expect, it } from 'vitest';
import { judgeSelfCheck, type SelfCheckInput } from './self-check.js';

const policy = { timeoutMs: 500 };
const answered = (status: number, ttfbMs = 3): SelfCheckInput['canary'] => ({ ok: true, status, ttfbMs });

describe('judgeSelfCheck', () => {
  it('is healthy when nginx answers the canary in time and the origin mostly answers', () => {
    expect(judgeSelfCheck({ canary: answered(200), requests: 100, serverErrors: 10 }, policy)).toEqual({ healthy: true });
    // A 404 canary (an origin without /healthz) still proves nginx serves through its cache path.
    expect(judgeSelfCheck({ canary: answered(404), requests: 0, serverErrors: 0 }, policy)).toEqual({ healthy: true });
  });

  it('is unhealthy when the canary fails, times out or nginx answers 5xx', () => {
    expect(judgeSelfCheck({ canary: { ok: false, error: 'timed out after 500 ms' }, requests: 0, serverErrors: 0 }, policy)).toEqual({
      healthy: false,
      reason: 'canary failed: timed out after 500 ms',
    });
    expect(judgeSelfCheck({ canary: answered(502), requests: 0, serverErrors: 0 }, policy)).toMatchObject({
      healthy: false,
      reason: 'canary answered 502',
    });
    expect(judgeSelfCheck({ canary: answered(200, 800), requests: 0, serverErrors: 0 }, policy)).toMatchObject({ healthy: false });
  });

  it('is unhealthy when most answers of a busy enough window were 5xx, not for a few on a quiet edge', () => {
    expect(judgeSelfCheck({ canary: answered(200), requests: 20, serverErrors: 10 }, policy)).toEqual({
      healthy: false,
      reason: '10 of 20 answers were 5xx',
    });
    expect(judgeSelfCheck({ canary: answered(200), requests: 20, serverErrors: 9 }, policy)).toEqual({ healthy: true });
    expect(judgeSelfCheck({ canary: answered(200), requests: 4, serverErrors: 4 }, policy)).toEqual({ healthy: true });
  });
});
