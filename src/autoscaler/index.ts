/**
 * Public surface of the autoscaler: the service `hlscdn autoscaler` runs, its
 * configuration section, the loop, the leader lease, the actuators and the
 * status API. The pure policy is in ./policy.
 */
export {
  autoscalerSchema,
  toPolicyConfig,
  type AutoscalerConfig,
  type LocalActuatorConfig,
  type TerraformActuatorConfig,
} from './config.js';
export { autoscalerKeys, type AutoscalerKeys } from './keys.js';
export { Autoscaler, type AutoscalerOptions, type AutoscalerEvents } from './loop/autoscaler.js';
export type {
  ActionEntry,
  AutoscalerStatus,
  DecisionEntry,
  DrainRequester,
  FleetSource,
  LeadershipSource,
  TickResult,
  TickSkip,
} from './loop/autoscaler-types.js';
export { chooseRemovals, type Removal, type RemovalInput } from './loop/choose-removals.js';
export { buildFleetLoads, type FleetLoads, type FleetLoadsInput } from './loop/fleet-loads.js';
export {
  checkAddCount,
  type ActuatorEdge,
  type ActuatorFailure,
  type ActuatorState,
  type EdgeActuator,
} from './actuators/edge-actuator.js';
export { LocalActuator, type LocalActuatorOptions } from './actuators/local/local-actuator.js';
export { TerraformActuator, type TerraformActuatorOptions, type ApplyRecord } from './actuators/terraform/terraform-actuator.js';
export { createAutoscalerMetrics, type AutoscalerMetrics } from './status/autoscaler-metrics.js';
export { createStatusApp, type StatusAppOptions } from './status/status-app.js';
export { formatStatus } from './status/format-status.js';
export { actuatorFromConfig, edgeEnvironment, type ActuatorFromConfigOptions } from './service/actuator-from-config.js';
export { startAutoscalerService, type AutoscalerService, type AutoscalerServiceOptions } from './service/autoscaler-service.js';
