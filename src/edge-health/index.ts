/** Public surface of edge health as viewers see it: the outside-in prober and its pure judgement. */
export { EdgeProber, EDGE_HEALTH_PATH, probeHealthPath, type EdgeProberOptions } from './edge-prober.js';
export { DEFAULT_PROBE_POLICY, ProbeTracker, type Evaluation, type ProbeOutcome, type ProbePolicy } from './probe-tracker.js';
