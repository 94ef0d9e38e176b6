import { describe, expect, it } from 'vitest';
import { defaultPolicyConfig, validatePolicyConfig } from './config.js';
import type { PolicyConfig } from './types.js';

function withOverrides(overrides: Record<string, unknown>): unknown {
  return { ...defaultPolicyConfig, ...overrides };
}

function messageOf(candidate: unknown): string {
  const result = validatePolicyConfig(candidate);
  if (result.ok) throw new Error('expected the config to be rejected');
  expect(result.error.code).toBe('invalid-config');
  return result.error.message;
}

describe('defaultPolicyConfig', () => {
  it('carries the HPA-like defaults the brief asks for', () => {
    expect(defaultPolicyConfig).toEqual<PolicyConfig>({
      target: 0.6,
      tolerance: 0.1,
      minEdges: 1,
      maxEdges: 20,
      metric: 'max',
      scaleUp: { abs: 4, pct: 100, periodMs: 60_000 },
      scaleDownStabilizationMs: 300_000,
      scaleDown: { abs: 1, periodMs: 60_000 },
      unhealthyGraceMs: 10_000,
    });
  });

  it('is frozen, so no caller can change the defaults for everyone', () => {
    expect(Object.isFrozen(defaultPolicyConfig)).toBe(true);
    expect(Object.isFrozen(defaultPolicyConfig.scaleUp)).toBe(true);
  });

  it('validates', () => {
    expect(validatePolicyConfig(defaultPolicyConfig)).toEqual({ ok: true, value: defaultPolicyConfig });
  });
});

describe('validatePolicyConfig', () => {
  it('accepts edge values: target 1, tolerance 0, minEdges 0, no stabilization', () => {
    const candidate = withOverrides({ target: 1, tolerance: 0, minEdges: 0, scaleDownStabilizationMs: 0 });
    expect(validatePolicyConfig(candidate).ok).toBe(true);
  });

  it.each([
    ['target 0', { target: 0 }, 'target: must be in (0, 1]'],
    ['target above 1', { target: 1.2 }, 'target: must be in (0, 1]'],
    ['negative tolerance', { tolerance: -0.1 }, 'tolerance: must be in [0, 1)'],
    ['tolerance 1', { tolerance: 1 }, 'tolerance: must be in [0, 1)'],
    ['fractional minEdges', { minEdges: 1.5 }, 'minEdges: must be a whole number'],
    ['negative minEdges', { minEdges: -1 }, 'minEdges: must be >= 0'],
    ['maxEdges 0', { minEdges: 0, maxEdges: 0 }, 'maxEdges: must be >= 1'],
    ['minEdges above maxEdges', { minEdges: 5, maxEdges: 4 }, 'minEdges: must be <= maxEdges'],
    ['unknown metric', { metric: 'cpu' }, "metric: must be 'max', 'egress' or 'connections'"],
    ['zero scale-up period', { scaleUp: { abs: 4, pct: 100, periodMs: 0 } }, 'scaleUp.periodMs: must be > 0'],
    ['scale-up that can never grow', { scaleUp: { abs: 0, pct: 0, periodMs: 60_000 } }, 'scaleUp: abs or pct must be > 0'],
    ['negative stabilization', { scaleDownStabilizationMs: -1 }, 'scaleDownStabilizationMs: must be >= 0'],
    ['scale-down of 0', { scaleDown: { abs: 0, periodMs: 60_000 } }, 'scaleDown.abs: must be >= 1'],
    ['negative unhealthy grace', { unhealthyGraceMs: -1 }, 'unhealthyGraceMs: must be >= 0'],
    ['NaN target', { target: Number.NaN }, 'target:'],
    ['infinite scale-up pct', { scaleUp: { abs: 4, pct: Infinity, periodMs: 60_000 } }, 'scaleUp.pct:'],
  ])('rejects %s', (_name, overrides, expected) => {
    expect(messageOf(withOverrides(overrides))).toContain(expected);
  });

  it('rejects a misspelt key instead of ignoring it', () => {
    const message = messageOf(withOverrides({ scaledownStabilizationMs: 0 }));
    expect(message).toContain('scaledownStabilizationMs');
  });

  it('rejects a missing field', () => {
    const { tolerance: _dropped, ...rest } = defaultPolicyConfig;
    expect(messageOf(rest)).toContain('tolerance:');
  });

  it('lists every problem in one message', () => {
    const message = messageOf(withOverrides({ target: 0, tolerance: 2 }));
    expect(message).toMatch(/^invalid autoscaler policy: /);
    expect(message).toContain('target:');
    expect(message).toContain('tolerance:');
  });

  it.each([null, undefined, 'fast', 42, []])('returns an error for %j instead of throwing', (candidate) => {
    expect(messageOf(candidate)).toContain('config:');
  });
});
