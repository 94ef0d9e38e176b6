/**
 * Public surface of the autoscaling policy: the pure decision function, its
 * configuration and its state. The loop that reads the registry and starts or
 * drains edges lives elsewhere and only calls `decide`.
 */
export { decide } from './decide.js';
export {
  defaultPolicyConfig,
  policyConfigSchema,
  validatePolicyConfig,
  type InvalidPolicyConfig,
  type PolicyConfigResult,
} from './config.js';
export { initialPolicyState } from './policy-state.js';
export type {
  DecideInput,
  DecideOutput,
  Decision,
  EdgeLoad,
  PolicyConfig,
  PolicyMetric,
  PolicyState,
  Recommendation,
  ScaleAction,
  ScaleEvent,
} from './types.js';
