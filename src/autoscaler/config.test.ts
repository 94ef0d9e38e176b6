import { describe, expect, it } from 'vitest';
import { autoscalerSchema, toPolicyConfig } from './config.js';
import { defaultPolicyConfig } from './policy/index.js';

describe('autoscaler config section', () => {
  it('gives every setting a default, and the policy defaults are the policy module own', () => {
    const config = autoscalerSchema.parse({});
    expect(config.actuator).toBe('local');
    expect(config.intervalMs).toBe(5000);
    expect(config.lease.ttlMs).toBe(10_000);
    expect(config.terraform.varFile).toBe('edges.auto.tfvars.json');
    expect(config.local.basePort).toBe(0);
    expect(toPolicyConfig(config.policy)).toEqual(defaultPolicyConfig);
  });

  it('maps nested overrides onto PolicyConfig', () => {
    const config = autoscalerSchema.parse({
      policy: { minEdges: 2, maxEdges: 3, target: 0.5, scaleUp: { abs: 1 }, scaleDownStabilizationMs: 1000 },
    });
    expect(toPolicyConfig(config.policy)).toEqual({
      ...defaultPolicyConfig,
      minEdges: 2,
      maxEdges: 3,
      target: 0.5,
      scaleUp: { ...defaultPolicyConfig.scaleUp, abs: 1 },
      scaleDownStabilizationMs: 1000,
    });
  });

  it('refuses minEdges above maxEdges with the policy validator message', () => {
    const parsed = autoscalerSchema.safeParse({ policy: { minEdges: 5, maxEdges: 2 } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message).join('\n')).toContain('minEdges: must be <= maxEdges');
  });

  it('refuses a var file with a directory in it, an unknown actuator and a target above 1', () => {
    expect(autoscalerSchema.safeParse({ terraform: { varFile: '../x.tfvars.json' } }).success).toBe(false);
    expect(autoscalerSchema.safeParse({ actuator: 'k8s' }).success).toBe(false);
    expect(autoscalerSchema.safeParse({ policy: { target: 1.5 } }).success).toBe(false);
  });
});
