/**
 * The `autoscaler` configuration section: the scaling policy, the loop's timing,
 * the leader lease, the status server and the two actuators. The lead wires it
 * into the one schema as `config.autoscaler`; `hlscdn autoscaler` hands the
 * parsed section to `startAutoscalerService`. Environment names follow the paths,
 * e.g. `autoscaler.policy.minEdges` <- HLSCDN_AUTOSCALER_POLICY_MIN_EDGES.
 */
import { z } from 'zod';
import { portSchema } from '../core/config/index.js';
import { defaultPolicyConfig, validatePolicyConfig, type PolicyConfig } from './policy/index.js';

const edgeCount = z.int().min(0);
const periodMs = z.int().min(1);
const d = defaultPolicyConfig;

/** Mirrors `PolicyConfig` field for field, with its defaults (Kubernetes HPA behaviour). */
export const autoscalerPolicySchema = z
  .object({
    /** Target fleet utilization, a fraction of capacity in (0, 1]. */
    target: z.number().gt(0).lte(1).default(d.target),
    /** Act only when |utilization / target - 1| is above this. */
    tolerance: z.number().min(0).lt(1).default(d.tolerance),
    /** Fewest edges the fleet may run; never drained below. */
    minEdges: edgeCount.default(d.minEdges),
    /** Most edges the fleet may run. */
    maxEdges: edgeCount.min(1).default(d.maxEdges),
    /** 'max' = the higher of egress and connection utilization. */
    metric: z.enum(['max', 'egress', 'connections']).default(d.metric),
    /** At most max(abs, ceil(n x pct / 100)) edges added per periodMs. */
    scaleUp: z
      .object({
        abs: edgeCount.default(d.scaleUp.abs),
        pct: z.number().min(0).default(d.scaleUp.pct),
        periodMs: periodMs.default(d.scaleUp.periodMs),
      })
      .prefault({}),
    /** A scale-down goes only as low as the highest recommendation of this window. */
    scaleDownStabilizationMs: z.int().min(0).default(d.scaleDownStabilizationMs),
    /** At most abs edges removed per periodMs. */
    scaleDown: z
      .object({
        abs: edgeCount.min(1).default(d.scaleDown.abs),
        periodMs: periodMs.default(d.scaleDown.periodMs),
      })
      .prefault({}),
    /** An edge of the actuator failing (unhealthy, or its record gone) this long is replaced: removed without a drain, a new one launched. */
    unhealthyGraceMs: z.int().min(0).max(3_600_000).default(d.unhealthyGraceMs),
  })
  // The cross-field rules (minEdges <= maxEdges...) live in the policy's own validator: one source of truth.
  .superRefine((policy, ctx) => {
    const checked = validatePolicyConfig(policy);
    if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.error.message });
  });

export const localActuatorSchema = z.object({
  /** 0: each edge gets a free port; otherwise edge local-<n> listens on basePort + n - 1. */
  basePort: portSchema.default(0),
  /** Address the edges listen on (and put in their registry URL). */
  host: z.string().min(1).default('127.0.0.1'),
  /** Origin base URLs the edges pull from: the first is primary. */
  origins: z
    .array(z.url({ protocol: /^http$/ }))
    .min(1)
    .default(['http://127.0.0.1:8080']),
  /** Each edge keeps its cache, logs and nginx.conf under <dataDir>/<id>. */
  dataDir: z.string().min(1).default('./data/autoscaler-edges'),
  /** Edge ids are <idPrefix>-<n>: autoscalers sharing a registry (a standby) need different prefixes. */
  idPrefix: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,39}$/, 'lowercase letters, digits and "-", starting with a letter, up to 40')
    .default('local'),
});

export const terraformActuatorSchema = z.object({
  /** The Terraform root module the actuator applies (holds or receives the var file). */
  workingDir: z.string().min(1).default('./terraform/examples/local'),
  /** File in workingDir the actuator owns: `{"edge_names": [...]}`. `*.auto.tfvars.json` is loaded by Terraform itself. */
  varFile: z
    .string()
    .regex(/^[A-Za-z0-9._-]+\.tfvars\.json$/, 'a file name (no directory) ending in .tfvars.json')
    .default('edges.auto.tfvars.json'),
  /** The terraform executable (a name on PATH or a path). */
  binary: z.string().min(1).default('terraform'),
  /** Longest a single apply may run before it is interrupted. */
  applyTimeoutSec: z
    .int()
    .min(10)
    .max(24 * 3600)
    .default(1800),
  /** Extra attempts after a failed apply (each failure is logged and kept in the status). */
  retries: z.int().min(0).max(10).default(2),
  /** New edges are named <namePrefix>-<n>. */
  namePrefix: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,39}$/, 'lowercase letters, digits and "-", starting with a letter, up to 40')
    .default('edge'),
  /** Run `terraform init` once before the first apply. */
  init: z.boolean().default(true),
});

export const autoscalerSchema = z.object({
  /** Which actuator starts and stops edges. */
  actuator: z.enum(['local', 'terraform']).default('local'),
  /** Time between two decisions. */
  intervalMs: z.int().min(100).max(600_000).default(5000),
  /** Status server address (/status, /healthz, /readyz, /metrics); loopback unless asked. */
  host: z.string().min(1).default('127.0.0.1'),
  /** Status server port; 0 picks a free one. */
  port: portSchema.default(8091),
  /** Longest wait, after asking an edge to drain, for its connections to end before it is removed. */
  drainTimeoutSec: z.int().min(0).max(3600).default(60),
  /** An edge the actuator started that has not registered after this long stops counting as capacity. */
  bootTimeoutSec: z
    .int()
    .min(1)
    .max(24 * 3600)
    .default(600),
  /** Decisions kept for /status. */
  historySize: z.int().min(1).max(10_000).default(50),
  policy: autoscalerPolicySchema.prefault({}),
  lease: z
    .object({
      /** Lifetime of the leader lease; renewed every third of it. A dead leader is replaced within about this long. */
      ttlMs: z.int().min(1000).max(600_000).default(10_000),
    })
    .prefault({}),
  local: localActuatorSchema.prefault({}),
  terraform: terraformActuatorSchema.prefault({}),
});

export type AutoscalerConfig = z.infer<typeof autoscalerSchema>;
export type AutoscalerPolicySettings = AutoscalerConfig['policy'];
export type LocalActuatorConfig = AutoscalerConfig['local'];
export type TerraformActuatorConfig = AutoscalerConfig['terraform'];

/** The section's policy settings as the pure policy's `PolicyConfig` (already validated by the schema). */
export function toPolicyConfig(policy: AutoscalerPolicySettings): PolicyConfig {
  return {
    target: policy.target,
    tolerance: policy.tolerance,
    minEdges: policy.minEdges,
    maxEdges: policy.maxEdges,
    metric: policy.metric,
    scaleUp: { ...policy.scaleUp },
    scaleDownStabilizationMs: policy.scaleDownStabilizationMs,
    scaleDown: { ...policy.scaleDown },
    unhealthyGraceMs: policy.unhealthyGraceMs,
  };
}
