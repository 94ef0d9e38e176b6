/** Tests of the restart decisions: backoff growth, healthy reset, bounded attempts. */
import { describe, it, expect } from 'vitest';
import { decideAfterRun } from './restart-policy.js';
import type { RestartPolicy } from './restart-policy.js';

const policy: RestartPolicy = {
  maxAttempts: 4,
  backoff: { maxAttempts: Infinity, baseDelayMs: 1_000, maxDelayMs: 5_000, jitter: 0 },
  healthyAfterMs: 30_000,
};
const failed = { kind: 'failed', reason: 'Connection refused' } as const;
const base = { policy, failures: 0, ranForMs: 1_000, endsByItself: false, random: () => 0.5 };

describe('decideAfterRun', () => {
  it('finishes a run that ends by itself and one that was stopped', () => {
    expect(decideAfterRun({ ...base, end: { kind: 'finished' }, endsByItself: true })).toEqual({ action: 'done' });
    expect(decideAfterRun({ ...base, end: { kind: 'stopped' } })).toEqual({ action: 'stopped' });
  });

  it('restarts a live run whose input ended', () => {
    expect(decideAfterRun({ ...base, end: { kind: 'finished' } })).toEqual({
      action: 'restart',
      delayMs: 1_000,
      failures: 1,
      reason: 'the live input ended',
    });
  });

  it('doubles the delay with each failure in a row, up to the cap', () => {
    const delays = [0, 1, 2].map((failures) => decideAfterRun({ ...base, end: failed, failures, policy: { ...policy, maxAttempts: 10 } }));
    expect(delays.map((d) => d.action === 'restart' && d.delayMs)).toEqual([1_000, 2_000, 4_000]);
    const capped = decideAfterRun({ ...base, end: failed, failures: 6, policy: { ...policy, maxAttempts: 10 } });
    expect(capped).toMatchObject({ action: 'restart', delayMs: 5_000 });
  });

  it('applies jitter from the random source', () => {
    const jittery = { ...policy, backoff: { ...policy.backoff, jitter: 0.5 } };
    expect(decideAfterRun({ ...base, policy: jittery, end: failed, random: () => 1 })).toMatchObject({ delayMs: 500 });
    expect(decideAfterRun({ ...base, policy: jittery, end: failed, random: () => 0 })).toMatchObject({ delayMs: 1_000 });
  });

  it('gives up after maxAttempts failures in a row, with the reason', () => {
    expect(decideAfterRun({ ...base, end: { kind: 'stalled', reason: 'no output for 5 s' }, failures: 3 })).toEqual({
      action: 'give-up',
      failures: 4,
      reason: 'no output for 5 s (gave up after 4 attempts)',
    });
  });

  it('starts the streak again after a healthy run', () => {
    expect(decideAfterRun({ ...base, end: failed, failures: 3, ranForMs: 30_000 })).toMatchObject({
      action: 'restart',
      failures: 1,
      delayMs: 1_000,
    });
  });

  it('gives up at once on a permanent failure', () => {
    expect(decideAfterRun({ ...base, end: { ...failed, permanent: true } })).toEqual({
      action: 'give-up',
      failures: 1,
      reason: 'Connection refused',
    });
  });
});
