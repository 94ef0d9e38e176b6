/**
 * Defaults and validation of the autoscaling policy configuration. The defaults
 * follow the Kubernetes HPA behaviour defaults (scale up by max(4 pods, 100%) per
 * 60 s, scale down after a 300 s stabilization window, 10% tolerance); see
 * https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#default-behavior
 */
import { z } from 'zod';
import type { Result } from '../../core/result.js';
import type { PolicyConfig } from './types.js';

export const defaultPolicyConfig: PolicyConfig = Object.freeze({
  target: 0.6,
  tolerance: 0.1,
  minEdges: 1,
  maxEdges: 20,
  metric: 'max',
  scaleUp: Object.freeze({ abs: 4, pct: 100, periodMs: 60_000 }),
  scaleDownStabilizationMs: 300_000,
  scaleDown: Object.freeze({ abs: 1, periodMs: 60_000 }),
  unhealthyGraceMs: 10_000,
}) as PolicyConfig;

// z.number() already rejects NaN and Infinity in zod 4.
const edgeCount = z.number().int('must be a whole number').nonnegative('must be >= 0');
const periodMs = z.number().int('must be a whole number of ms').positive('must be > 0');

/**
 * Schema of a complete policy configuration. Strict: an unknown key is more
 * likely a typo (`scaledownStabilizationMs`) than something to ignore silently.
 */
export const policyConfigSchema = z
  .strictObject({
    target: z.number().gt(0, 'must be in (0, 1]').lte(1, 'must be in (0, 1]'),
    tolerance: z.number().gte(0, 'must be in [0, 1)').lt(1, 'must be in [0, 1)'),
    minEdges: edgeCount,
    maxEdges: edgeCount.min(1, 'must be >= 1'),
    metric: z.enum(['max', 'egress', 'connections'], "must be 'max', 'egress' or 'connections'"),
    scaleUp: z.strictObject({
      abs: edgeCount,
      pct: z.number().nonnegative('must be >= 0'),
      periodMs,
    }),
    scaleDownStabilizationMs: z.number().int('must be a whole number of ms').nonnegative('must be >= 0'),
    scaleDown: z.strictObject({
      // 0 would silently pin the fleet at its peak; minEdges = maxEdges says that openly.
      abs: edgeCount.min(1, 'must be >= 1'),
      periodMs,
    }),
    unhealthyGraceMs: z.number().int('must be a whole number of ms').nonnegative('must be >= 0'),
  })
  .refine((c) => c.minEdges <= c.maxEdges, {
    path: ['minEdges'],
    error: 'must be <= maxEdges',
  })
  .refine((c) => c.scaleUp.abs > 0 || c.scaleUp.pct > 0, {
    path: ['scaleUp'],
    error: 'abs or pct must be > 0, otherwise the fleet can never grow',
  });

export interface InvalidPolicyConfig {
  code: 'invalid-config';
  message: string;
}

export type PolicyConfigResult = Result<PolicyConfig, InvalidPolicyConfig>;

/**
 * Checks a complete policy configuration (merge overrides onto
 * `defaultPolicyConfig` first). Never throws; every problem found is listed
 * in the message as `path: problem`.
 */
export function validatePolicyConfig(candidate: unknown): PolicyConfigResult {
  const parsed = policyConfigSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, value: parsed.data };
  const problems = parsed.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'config';
    return `${where}: ${issue.message}`;
  });
  return {
    ok: false,
    error: { code: 'invalid-config', message: `invalid autoscaler policy: ${problems.join('; ')}` },
  };
}
