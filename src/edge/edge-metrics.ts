/** Prometheus gauges of an edge, set from each heartbeat record, served by the agent's loopback HTTP port. */
import { Gauge, type Registry } from 'prom-client';
import type { EdgeRecord } from '../edge-registry/index.js';

export function edgeGauges(registry: Registry): (record: EdgeRecord) => void {
  const gauge = (name: string, help: string) => new Gauge({ name: `hlscdn_edge_${name}`, help, registers: [registry] });
  const connections = gauge('active_connections', 'Viewer connections open on nginx');
  const requests = gauge('requests_per_second', 'Requests per second over the agent window');
  const egress = gauge('egress_bytes_per_second', 'Bytes sent per second over the agent window');
  const hitRatio = gauge('cache_hit_ratio', 'Cache hits over cache lookups in the agent window');
  const upstreamErrors = gauge('upstream_errors', 'Origin errors in the agent window');
  const cacheBytes = gauge('cache_bytes', 'Bytes held in the nginx cache directory');
  const draining = gauge('draining', '1 while the edge drains');
  const healthy = gauge('healthy', "1 while the agent's self-check passes (nginx answers the canary, few 5xx), 0 while it fails");
  return (record) => {
    connections.set(record.load.activeConnections);
    requests.set(record.load.requestsPerSec);
    egress.set(record.load.egressBytesPerSec);
    hitRatio.set(record.load.cacheHitRatio);
    upstreamErrors.set(record.load.upstreamErrors);
    cacheBytes.set(record.load.cacheBytes);
    draining.set(record.state === 'draining' ? 1 : 0);
    // The agent sets `problem` whenever its self-check fails, draining included (then the state says 'draining').
    healthy.set(record.state !== 'unhealthy' && record.problem === undefined ? 1 : 0);
  };
}
