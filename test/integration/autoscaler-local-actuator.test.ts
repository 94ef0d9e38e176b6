/**
 * The EdgeActuator contract on the `local` actuator: real `hlscdn edge` children
 * (nginx + agent) registering in a real redis-server and pulling from a real origin.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalActuator } from '../../src/autoscaler/actuators/local/local-actuator.js';
import { describeEdgeActuatorContract } from '../../src/autoscaler/test-support/edge-actuator-contract.js';
import { hlscdnCommand, waitUntil } from '../../src/core/process/index.js';
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

describe('local actuator: an edge that fails to start', () => {
  it('is tried once more under the same id, and add() resolves once it serves', { timeout: 60_000 }, async () => {
    const cdn = await startCdnFixture('local-actuator-retry');
    const real = hlscdnCommand();
    const marker = join(cdn.dir, 'failed-once');
    // The first launch exits at once, as an edge whose nginx died would; later ones run the real `hlscdn edge`.
    const actuator = new LocalActuator({
      origins: [cdn.originUrl],
      dataDir: join(cdn.dir, 'edges'),
      env: { ...cdn.edgeEnv(), FAIL_ONCE_MARKER: marker },
      stopTimeoutMs: 15_000,
      command: {
        command: 'sh',
        args: [
          '-c',
          'if [ ! -e "$FAIL_ONCE_MARKER" ]; then : > "$FAIL_ONCE_MARKER"; exit 1; fi; exec "$@"',
          'sh',
          real.command,
          ...real.args,
        ],
      },
    });
    try {
      const ids = await actuator.add(1);
      expect(ids).toHaveLength(1);
      expect(existsSync(marker)).toBe(true);
      expect((await actuator.list()).map((e) => e.id)).toEqual(ids);
      await waitUntil(() => cdn.view.snapshot().edges.some((e) => e.id === ids[0] && e.state === 'active'), {
        timeoutMs: 10_000,
        what: `${ids[0]} active in the registry`,
      });
    } finally {
      await actuator.close();
      await cdn.close();
    }
  });
});
