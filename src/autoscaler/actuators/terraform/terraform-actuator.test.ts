/**
 * The terraform actuator's own logic (var file, retries, restore on failure, one
 * run at a time, status) against a stand-in `terraform` script that logs its argv
 * and fails on demand. The real terraform binary with terraform/examples/local runs
 * in test/integration/autoscaler-terraform-actuator.test.ts.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TerraformActuator, type TerraformActuatorOptions } from './terraform-actuator.js';

const FAKE_TERRAFORM = `#!/usr/bin/env bash
set -u
echo "$1 start" >>run.log
case "$1" in
  apply)
    echo "names $(tr -d ' \\n' <edges.auto.tfvars.json)" >>run.log
    sleep "\${APPLY_SLEEP:-0}"
    if [ -s fail-count ] && [ "$(cat fail-count)" -gt 0 ]; then
      echo $(( $(cat fail-count) - 1 )) >fail-count
      echo "Plan: 1 to add, 0 to change, 0 to destroy."
      printf 'Error: provisioner failed\\n\\nthe cloud said no\\n' >&2
      echo "apply end" >>run.log
      exit 1
    fi
    echo "Plan: 1 to add, 0 to change, 0 to destroy."
    echo "Apply complete! Resources: 1 added, 0 changed, 0 destroyed."
    ;;
  output)
    echo '{"edge_urls":{"value":{"edge-1":"http://127.0.0.1:18101"}}}'
    ;;
esac
echo "$1 end" >>run.log
`;

let dir: string;
let actuators: TerraformActuator[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hlscdn-tf-actuator-'));
  await writeFile(join(dir, 'terraform'), FAKE_TERRAFORM);
  await chmod(join(dir, 'terraform'), 0o755);
});
afterEach(async () => {
  await Promise.all(actuators.map((a) => a.close()));
  actuators = [];
  await rm(dir, { recursive: true, force: true });
});

function actuator(options: Partial<TerraformActuatorOptions> = {}): TerraformActuator {
  const created = new TerraformActuator({
    workingDir: dir,
    binary: join(dir, 'terraform'),
    env: { PATH: process.env.PATH, ...options.env },
    retries: 1,
    retryDelay: { baseDelayMs: 10, maxDelayMs: 10, jitter: 0 },
    ...options,
  });
  actuators.push(created);
  return created;
}

const runLog = async () => (await readFile(join(dir, 'run.log'), 'utf8')).trim().split('\n');
const varFile = async () => JSON.parse(await readFile(join(dir, 'edges.auto.tfvars.json'), 'utf8')) as { edge_names: string[] };

describe('TerraformActuator', () => {
  it('writes the new names, inits once, applies, then reads the URLs', async () => {
    const tf = actuator();
    expect(await tf.add(2)).toEqual(['edge-1', 'edge-2']);
    expect(await tf.add(1)).toEqual(['edge-3']);
    expect(await varFile()).toEqual({ edge_names: ['edge-1', 'edge-2', 'edge-3'] });
    expect(await runLog()).toEqual([
      'init start',
      'init end',
      'apply start',
      'names {"edge_names":["edge-1","edge-2"]}',
      'apply end',
      'output start',
      'output end',
      'apply start',
      'names {"edge_names":["edge-1","edge-2","edge-3"]}',
      'apply end',
      'output start',
      'output end',
    ]);
    expect(await tf.list()).toEqual([
      { id: 'edge-1', state: 'running', url: 'http://127.0.0.1:18101' },
      { id: 'edge-2', state: 'running' },
      { id: 'edge-3', state: 'running' },
    ]);
    expect(tf.state().details?.lastApply).toMatchObject({
      operation: 'add edge-3',
      outcome: 'succeeded',
      attempts: 1,
      plan: { add: 1, change: 0, destroy: 0 },
    });
  });

  it('removes exactly the named edge, and does nothing for a name it does not manage', async () => {
    await writeFile(join(dir, 'edges.auto.tfvars.json'), '{"edge_names":["edge-1","edge-2","edge-3"]}');
    const tf = actuator({ init: false });
    await tf.remove('edge-2');
    await tf.remove('edge-9');
    expect(await varFile()).toEqual({ edge_names: ['edge-1', 'edge-3'] });
    expect((await runLog()).filter((l) => l === 'apply start')).toHaveLength(1);
    expect(await tf.add(1)).toEqual(['edge-2']);
  });

  it('retries a failed apply and succeeds without reporting a failure', async () => {
    await writeFile(join(dir, 'fail-count'), '1');
    const tf = actuator({ init: false });
    expect(await tf.add(1)).toEqual(['edge-1']);
    expect((await runLog()).filter((l) => l === 'apply start')).toHaveLength(2);
    expect(tf.state().lastFailure).toBeUndefined();
    expect(tf.state().details?.lastApply).toMatchObject({ outcome: 'succeeded', attempts: 2 });
  });

  it('after the last retry fails: rejects with Terraform error, restores the var file, reports it in state()', async () => {
    await writeFile(join(dir, 'edges.auto.tfvars.json'), '{"edge_names":["edge-1"]}');
    await writeFile(join(dir, 'fail-count'), '5');
    const tf = actuator({ init: false });
    const failure = await tf.add(2).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'process-failed', details: { started: [] } });
    expect((failure as Error).message).toContain('provisioner failed: the cloud said no');
    expect(await varFile()).toEqual({ edge_names: ['edge-1'] });
    expect((await runLog()).filter((l) => l === 'apply start')).toHaveLength(2);
    const state = tf.state();
    expect(state.lastFailure).toMatchObject({ operation: 'add edge-2, edge-3' });
    expect(state.lastFailure?.message).toContain('the cloud said no');
    expect(state.details?.lastApply).toMatchObject({ outcome: 'failed', attempts: 2, errors: ['provisioner failed: the cloud said no'] });
    expect(state.edges.map((e) => e.id)).toEqual(['edge-1']);
  });

  it('runs one terraform at a time, in call order', async () => {
    const tf = actuator({ init: false, env: { APPLY_SLEEP: '0.3' } });
    const [added] = await Promise.all([tf.add(1), tf.remove('edge-1'), tf.add(1)]);
    expect(added).toEqual(['edge-1']);
    const applies = (await runLog()).filter((l) => l.startsWith('apply') || l.startsWith('names'));
    expect(applies).toEqual([
      'apply start',
      'names {"edge_names":["edge-1"]}',
      'apply end',
      'apply start',
      'names {"edge_names":[]}',
      'apply end',
      'apply start',
      'names {"edge_names":["edge-1"]}',
      'apply end',
    ]);
  });

  it('shows edges being added as starting while the apply runs', async () => {
    const tf = actuator({ init: false, env: { APPLY_SLEEP: '0.5' } });
    const adding = tf.add(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(tf.state()).toMatchObject({ kind: 'terraform', busy: 'add edge-1', edges: [{ id: 'edge-1', state: 'starting' }] });
    await adding;
    expect(tf.state().edges).toEqual([{ id: 'edge-1', state: 'running', url: 'http://127.0.0.1:18101' }]);
  });

  it('refuses a var file that is not its own format', async () => {
    await writeFile(join(dir, 'edges.auto.tfvars.json'), '{"edge_names": ["Edge 1"]}');
    await expect(actuator().list()).rejects.toMatchObject({ code: 'invalid-config' });
  });

  it('says plainly when terraform cannot be run', async () => {
    const tf = actuator({ binary: join(dir, 'no-such-terraform') });
    await expect(tf.add(1)).rejects.toThrow(/cannot run .*no-such-terraform/);
  });

  it('waits for the apply in progress on close, then refuses new work', async () => {
    const tf = actuator({ init: false, env: { APPLY_SLEEP: '0.3' } });
    const adding = tf.add(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await tf.close();
    expect((await runLog()).includes('apply end')).toBe(true);
    expect(await adding).toEqual(['edge-1']);
    await expect(tf.add(1)).rejects.toMatchObject({ code: 'unavailable' });
  });
});
