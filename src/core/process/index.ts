export { ManagedProcess, type ManagedProcessOptions, type ExitInfo } from './managed-process.js';
export { findFreePort } from './free-port.js';
export { waitUntil, type WaitUntilOptions } from './wait-until.js';
export { tcpProbe, httpProbe, redisPingProbe } from './probes.js';
export { findExecutable, requireExecutable } from './find-executable.js';
export { startRedisServer, type RedisServerOptions, type RunningRedisServer } from './redis-server.js';
export {
  SupervisedRedisServer,
  startSupervisedRedisServer,
  type SupervisedRedisServerEvents,
  type SupervisedRedisServerOptions,
} from './supervised-redis-server.js';
export { closeWithin, type Closable, type CloseOutcome } from './close-within.js';
export { startNginx, reloadNginx, nginxInstallHint, type NginxOptions } from './nginx.js';
export { isGroupAlive } from './orphan-guard.js';
export { hlscdnCommand, type SelfCommand } from './self-command.js';
export {
  clusterMetricsSource,
  isServiceWorker,
  resolveWorkerCount,
  startServiceCluster,
  type RunningServiceCluster,
  type ServiceClusterOptions,
  type WorkerCount,
} from './service-cluster.js';
