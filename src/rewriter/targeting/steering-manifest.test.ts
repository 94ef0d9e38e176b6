import { describe, expect, it } from 'vitest';
import { edgeRecord } from '../../edge-registry/test-support/records.js';
import type { EdgeRecord } from '../../edge-registry/index.js';
import { fleetState } from './fleet.js';
import { BASE_PATHWAY_ID, buildSteeringManifest, type SteeringManifestInput } from './steering-manifest.js';

function withLoad(id: string, requestsPerSec: number, overrides: Partial<EdgeRecord> = {}): EdgeRecord {
  const record = edgeRecord(id, overrides);
  record.load.requestsPerSec = requestsPerSec;
  return record;
}

function input(edges: EdgeRecord[], overrides: Partial<SteeringManifestInput> = {}): SteeringManifestInput {
  return {
    fleet: fleetState({ edges, ageMs: 0, connected: true }, { maxSnapshotAgeMs: 10_000 }),
    viewerKey: '10.0.0.1|player',
    balanceFactor: 1.25,
    quietEdgeRequestsPerSec: 20,
    ttlSec: 10,
    reloadUri: 'steering',
    pathwayParam: 'hlscdn_pathway',
    ...overrides,
  };
}

const three = () => [withLoad('edge-a', 10), withLoad('edge-b', 10), withLoad('edge-c', 10)];

describe('buildSteeringManifest', () => {
  it('has version 1, the TTL and reload URI, every live edge then the base pathway, and a clone per edge', () => {
    const manifest = buildSteeringManifest(input(three()));
    expect(manifest.VERSION).toBe(1);
    expect(manifest.TTL).toBe(10);
    expect(manifest['RELOAD-URI']).toBe('steering');
    expect([...manifest['PATHWAY-PRIORITY']].sort()).toEqual([BASE_PATHWAY_ID, 'edge-a', 'edge-b', 'edge-c']);
    expect(manifest['PATHWAY-PRIORITY'].at(-1)).toBe(BASE_PATHWAY_ID);
    expect(manifest['PATHWAY-CLONES']).toEqual(
      ['edge-a', 'edge-b', 'edge-c'].map((id) => ({
        'BASE-ID': BASE_PATHWAY_ID,
        ID: id,
        'URI-REPLACEMENT': { PARAMS: { hlscdn_pathway: id } },
      })),
    );
  });

  it('never names a pathway it does not define (AVPlayer fails on one)', () => {
    for (const edges of [three(), [withLoad('edge-a', 10, { state: 'draining' }), withLoad('edge-b', 500)], []]) {
      const manifest = buildSteeringManifest(input(edges));
      const defined = new Set([BASE_PATHWAY_ID, ...manifest['PATHWAY-CLONES'].map((clone) => clone.ID)]);
      for (const id of manifest['PATHWAY-PRIORITY']) expect(defined.has(id)).toBe(true);
    }
  });

  it('leaves draining edges out, and lists only the base pathway when no edge is usable', () => {
    const manifest = buildSteeringManifest(input([withLoad('edge-a', 10, { state: 'draining' }), withLoad('edge-b', 10)]));
    expect(manifest['PATHWAY-PRIORITY']).toEqual(['edge-b', BASE_PATHWAY_ID]);
    const stale = buildSteeringManifest(input(three(), { fleet: { usable: false, reason: 'registry-stale' } }));
    expect(stale['PATHWAY-PRIORITY']).toEqual([BASE_PATHWAY_ID]);
    expect(stale['PATHWAY-CLONES']).toEqual([]);
  });

  it('spreads viewers: different viewer keys get different first pathways', () => {
    const firsts = new Set(
      Array.from({ length: 40 }, (_, i) => buildSteeringManifest(input(three(), { viewerKey: `10.0.0.${i}|p` }))['PATHWAY-PRIORITY'][0]),
    );
    expect(firsts.size).toBe(3);
  });

  it('keeps the current pathway first while it is within its bound, and moves an overloaded edge last', () => {
    for (const current of ['edge-a', 'edge-b', 'edge-c']) {
      expect(buildSteeringManifest(input(three(), { currentPathway: current }))['PATHWAY-PRIORITY'][0]).toBe(current);
    }
    const hot = [withLoad('edge-a', 400), withLoad('edge-b', 50), withLoad('edge-c', 50)];
    for (let i = 0; i < 20; i++) {
      const priority = buildSteeringManifest(input(hot, { viewerKey: `v${i}`, currentPathway: 'edge-a' }))['PATHWAY-PRIORITY'];
      expect(priority.slice(-2)).toEqual(['edge-a', BASE_PATHWAY_ID]);
    }
  });

  it('puts the viewer zone first', () => {
    const edges = [withLoad('edge-a', 10, { zone: 'us' }), withLoad('edge-b', 10, { zone: 'eu' }), withLoad('edge-c', 10, { zone: 'us' })];
    for (let i = 0; i < 10; i++)
      expect(buildSteeringManifest(input(edges, { viewerKey: `v${i}`, zone: 'eu' }))['PATHWAY-PRIORITY'][0]).toBe('edge-b');
  });
});
