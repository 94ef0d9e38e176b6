/**
 * The EdgeActuator contract on the `local` actuator: real `hlscdn edge` children
 * (nginx + agent) registering in a real redis-server and pulling from a real origin.
 */
import { join } from 'node:path';
import { LocalActuator } from '../../src/autoscaler/actuators/local/local-actuator.js';
import { describeEdgeActuatorContract } from '../../src/autoscaler/test-support/edge-actuator-contract.js';
import { startCdnFixture } from '../support/cdn-fixture.js';

describeEdgeActuatorContract('local', async () => {
  const cdn = await startCdnFixture('local-actuator');
  const actuator = new LocalActuator({
    origins: [cdn.originUrl],
    dataDir: join(cdn.dir, 'edges'),
    env: cdn.edgeEnv(),
    stopTimeoutMs: 15_000,
  });
  return {
    actuator,
    serving: {
      fleet: cdn.view,
      segment: { path: cdn.segmentPath(0), bytes: cdn.segmentBytes(0) },
    },
    cleanup: async () => {
      await actuator.close();
      await cdn.close();
    },
  };
});
