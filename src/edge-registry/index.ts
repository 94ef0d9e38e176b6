/**
 * Public surface of the edge registry: the record, the writer (agents, autoscaler) and the view (rewriter, autoscaler).
 */
export {
  EDGE_ID_PATTERN,
  EDGE_RECORD_VERSION,
  MAX_RECORD_BYTES,
  edgeRecordSchema,
  parseEdgeRecord,
  validateEdgeRecord,
  type EdgeRecord,
  type EdgeRecordError,
  type EdgeState,
} from './edge-record.js';
export {
  MAX_VERDICT_BYTES,
  PROBE_VERDICTS,
  parseProbeVerdict,
  probeVerdictSchema,
  withProbeVerdict,
  type ProbeVerdict,
  type ProbeVerdictKind,
} from './probe-verdict.js';
export { describeEdgeHealth, type EdgeHealth, type EdgeHealthVerdict, type ObservedUnhealthy } from './format-health.js';
export { DEFAULT_KEY_PREFIX, registryKeys, type RegistryKeys } from './keys.js';
export { registryAclRules, type RegistryRole } from './acl-rules.js';
export { parseRegistryEvent, type RegistryEvent } from './registry-events.js';
export type { RegistryRedisOptions } from './registry-connection.js';
export { EdgeRegistryWriter, type EdgeRegistryWriterOptions, type HeartbeatResult } from './registry-writer.js';
export { EdgeRegistryView, type EdgeRegistryViewEvents, type EdgeRegistryViewOptions, type FleetSnapshotView } from './registry-view.js';
