import { describe, expect, it } from 'vitest';
import { applyArgs, initArgs, outputArgs, readApplyOutput, readEdgeUrls } from './terraform-args.js';

describe('terraform argv', () => {
  it('applies without prompts or colours, waiting for a held lock, loading an auto var file by itself', () => {
    expect(applyArgs({ varFile: 'edges.auto.tfvars.json' })).toEqual([
      'apply',
      '-auto-approve',
      '-input=false',
      '-no-color',
      '-lock-timeout=120s',
    ]);
    expect(applyArgs({ varFile: 'fleet.tfvars.json', lockTimeoutSec: 5 })).toEqual([
      'apply',
      '-auto-approve',
      '-input=false',
      '-no-color',
      '-lock-timeout=5s',
      '-var-file=fleet.tfvars.json',
    ]);
    expect(initArgs()).toEqual(['init', '-input=false', '-no-color']);
    expect(outputArgs()).toEqual(['output', '-json', '-no-color']);
  });
});

describe('readApplyOutput', () => {
  it('reads the plan and the applied counts', () => {
    const report = readApplyOutput([
      'Plan: 1 to add, 0 to change, 2 to destroy.',
      'x: Creating...',
      'Apply complete! Resources: 1 added, 0 changed, 2 destroyed.',
    ]);
    expect(report).toEqual({
      plan: { add: 1, change: 0, destroy: 2 },
      applied: { add: 1, change: 0, destroy: 2 },
      noChanges: false,
      errors: [],
    });
  });

  it('notices "No changes."', () => {
    expect(readApplyOutput(['No changes. Your infrastructure matches the configuration.']).noChanges).toBe(true);
  });

  it('keeps each error with its explanation, not its source location', () => {
    const lines = [
      'Plan: 1 to add, 0 to change, 0 to destroy.',
      'Error: local-exec provisioner error',
      '',
      '  with terraform_data.edge["edge-1"],',
      '  on main.tf line 2, in resource "terraform_data" "edge":',
      '   2:   provisioner "local-exec" {',
      '',
      "Error running command 'start-edge.sh': exit status 1. Output: edge edge-1 exited while starting",
      '╷',
      '│ Error: Invalid value for variable',
      '│ ',
      '│ edge_names: each must look like <prefix>-<n>.',
      '╵',
    ];
    expect(readApplyOutput(lines).errors).toEqual([
      "local-exec provisioner error: Error running command 'start-edge.sh': exit status 1. Output: edge edge-1 exited while starting",
      'Invalid value for variable: edge_names: each must look like <prefix>-<n>.',
    ]);
  });
});

describe('readEdgeUrls', () => {
  it('takes the edge_urls output, and nothing from malformed output', () => {
    expect(readEdgeUrls('{"edge_urls":{"sensitive":false,"value":{"edge-1":"http://127.0.0.1:18101"}}}')).toEqual({
      'edge-1': 'http://127.0.0.1:18101',
    });
    expect(readEdgeUrls('{}')).toEqual({});
    expect(readEdgeUrls('not json')).toEqual({});
  });
});
