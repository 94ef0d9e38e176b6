/**
 * The EdgeActuator contract on the `terraform` actuator with the real terraform
 * binary and terraform/examples/local: each edge is a terraform_data resource
 * whose provisioners start and stop a real `hlscdn edge`. Plus a failing apply:
 * retried, then reported, with the var file restored. Skipped without terraform.
 */
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { describeEdgeActuatorContract } from '../../src/autoscaler/test-support/edge-actuator-contract.js';
import { TerraformActuator } from '../../src/autoscaler/actuators/terraform/terraform-actuator.js';
import { startCdnFixture } from '../support/cdn-fixture.js';
import { prepareLocalExample } from '../support/terraform-local-example.js';
import { findExecutable } from '../../src/core/process/index.js';

const haveTerraform = findExecutable('terraform') !== undefined;

if (haveTerraform) {
  describeEdgeActuatorContract('terraform (examples/local)', async () => {
    const cdn = await startCdnFixture('terraform-actuator');
    const example = await prepareLocalExample({ dir: cdn.dir, redisUrl: cdn.redis.url, originUrl: cdn.originUrl, env: cdn.edgeEnv() });
    const actuator = new TerraformActuator({ workingDir: example.workingDir, env: example.env, retries: 0, applyTimeoutMs: 120_000 });
    return {
      actuator,
      serving: {
        fleet: cdn.view,
        segment: { path: cdn.segmentPath(2), bytes: cdn.segmentBytes(2) },
      },
      cleanup: async () => {
        await actuator.close();
        await example.destroy();
        await cdn.close();
      },
    };
  });
}

describe.skipIf(!haveTerraform)('terraform actuator: a failing apply', () => {
  it('is retried, then reported with Terraform error, and the var file keeps the last applied set', { timeout: 120_000 }, async () => {
    const cdn = await startCdnFixture('terraform-actuator-failure');
    // An "hlscdn" that exits at once: start-edge.sh reports it and the apply fails.
    const example = await prepareLocalExample({
      dir: cdn.dir,
      redisUrl: cdn.redis.url,
      originUrl: cdn.originUrl,
      env: cdn.edgeEnv(),
      command: ['/bin/false'],
    });
    const actuator = new TerraformActuator({
      workingDir: example.workingDir,
      env: example.env,
      retries: 1,
      retryDelay: { baseDelayMs: 100, maxDelayMs: 100, jitter: 0 },
    });
    try {
      const failure = (await actuator.add(1).catch((error: unknown) => error)) as Error;
      expect(failure).toMatchObject({ code: 'process-failed' });
      expect(failure.message).toContain('edge edge-1 exited while starting');
      expect(JSON.parse(await readFile(join(example.workingDir, 'edges.auto.tfvars.json'), 'utf8'))).toEqual({ edge_names: [] });
      expect(await actuator.list()).toEqual([]);
      const state = actuator.state();
      expect(state.lastFailure).toMatchObject({ operation: 'add edge-1' });
      // The second attempt replaces the resource the first one left tainted.
      expect(state.details?.lastApply).toMatchObject({ outcome: 'failed', attempts: 2, plan: { add: 1, destroy: 1 } });
      expect((state.details?.lastApply as { errors: string[] }).errors[0]).toContain('local-exec provisioner error');
    } finally {
      await actuator.close();
      await example.destroy();
      await cdn.close();
    }
  });
});
