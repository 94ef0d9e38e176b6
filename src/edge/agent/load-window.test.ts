import { describe, expect, it } from 'vitest';
import { isUpstreamError, LoadWindow } from './load-window.js';
import { parseStubStatus } from './stub-status.js';

const sample = (atMs: number, cacheStatus = 'HIT', bytesSent = 1000, upstreamError = false) => ({
  atMs,
  cacheStatus,
  bytesSent,
  upstreamError,
});

describe('LoadWindow', () => {
  it('turns requests in the window into rates and a hit ratio', () => {
    const window = new LoadWindow(10_000);
    for (let i = 0; i < 30; i++) window.add(sample(100_000 + i * 100, i % 3 === 0 ? 'MISS' : 'HIT', 2_000));
    const figures = window.figures(103_000);
    expect(figures.requestsPerSec).toBeCloseTo(3);
    expect(figures.egressBytesPerSec).toBeCloseTo(6_000);
    expect(figures.cacheHitRatio).toBeCloseTo(20 / 30);
    expect(figures.upstreamErrors).toBe(0);
  });

  it('forgets what fell out of the window', () => {
    const window = new LoadWindow(5_000);
    window.add(sample(1_000));
    window.add(sample(9_000, 'MISS', 500, true));
    const figures = window.figures(10_000);
    expect(figures.requestsPerSec).toBeCloseTo(1 / 5);
    expect(figures.cacheHitRatio).toBe(0);
    expect(figures.upstreamErrors).toBe(1);
    expect(window.figures(20_000)).toEqual({
      requests: 0,
      requestsPerSec: 0,
      egressBytesPerSec: 0,
      cacheHitRatio: 0,
      upstreamErrors: 0,
      serverErrors: 0,
    });
  });

  it('counts only cache lookups in the hit ratio', () => {
    const window = new LoadWindow(10_000);
    window.add(sample(1_000, 'HIT'));
    window.add(sample(1_000, ''));
    window.add(sample(1_000, 'BYPASS'));
    window.add(sample(1_000, 'STALE'));
    window.add(sample(1_000, 'EXPIRED'));
    expect(window.figures(2_000).cacheHitRatio).toBeCloseTo(2 / 3);
  });
});

describe('isUpstreamError', () => {
  it.each([
    [{ status: 200, upstreamStatus: '502, 200', cacheStatus: 'MISS' }, true],
    [{ status: 200, upstreamStatus: '200', cacheStatus: 'MISS' }, false],
    [{ status: 200, upstreamStatus: '', cacheStatus: 'HIT' }, false],
    [{ status: 502, upstreamStatus: '', cacheStatus: 'MISS' }, true],
    [{ status: 404, upstreamStatus: '404', cacheStatus: 'MISS' }, false],
    [{ status: 504, upstreamStatus: '504', cacheStatus: 'MISS' }, true],
  ])('%o -> %s', (record, expected) => {
    expect(isUpstreamError(record)).toBe(expected);
  });
});

describe('parseStubStatus', () => {
  it('reads the counters', () => {
    const text = 'Active connections: 2 \nserver accepts handled requests\n 10 11 25 \nReading: 0 Writing: 1 Waiting: 1 \n';
    expect(parseStubStatus(text)).toEqual({
      ok: true,
      value: { active: 2, accepts: 10, handled: 11, requests: 25, reading: 0, writing: 1, waiting: 1 },
    });
  });
  it('refuses other pages', () => {
    expect(parseStubStatus('<html>502</html>').ok).toBe(false);
  });
});
