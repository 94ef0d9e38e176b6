import { describe, expect, it } from 'vitest';
import type { EdgeRecord } from '../../edge-registry/index.js';
import { edgeRecord } from '../../edge-registry/test-support/records.js';
import type { ActuatorEdge } from '../actuators/edge-actuator.js';
import { planReplacements, type ReplacementInput } from './plan-replacements.js';

const sick = (id: string, problem = 'canary failed: timeout'): EdgeRecord => edgeRecord(id, { state: 'unhealthy', problem });
const running = (...ids: string[]): ActuatorEdge[] => ids.map((id) => ({ id, state: 'running' }));

function input(overrides: Partial<ReplacementInput>): ReplacementInput {
  return {
    records: [edgeRecord('a'), sick('b')],
    owned: running('a', 'b'),
    lost: [],
    previouslyOwned: new Set(['a', 'b']),
    removing: new Set(),
    failingSince: new Map(),
    launchedAt: new Map(),
    now: 100_000,
    graceMs: 10_000,
    room: 10,
    ...overrides,
  };
}

describe('planReplacements', () => {
  it('waits out the grace of an unhealthy edge, remembering since when it fails', () => {
    const first = planReplacements(input({}));
    expect(first).toMatchObject({ remove: [], vanished: [], add: 0 });
    expect(first.waiting).toEqual([{ id: 'b', since: 100_000, reason: 'unhealthy: canary failed: timeout' }]);
    expect([...first.failingSince]).toEqual([['b', 100_000]]);
    const later = planReplacements(input({ failingSince: first.failingSince, now: 109_999 }));
    expect([later.remove, later.add, later.failingSince.get('b')]).toEqual([[], 0, 100_000]);
  });

  it('replaces an edge unhealthy for the whole grace: remove it (no drain is planned) and launch one', () => {
    const plan = planReplacements(input({ failingSince: new Map([['b', 90_000]]) }));
    expect(plan.remove).toEqual([{ id: 'b', since: 90_000, reason: 'unhealthy: canary failed: timeout' }]);
    expect([plan.add, plan.waiting, plan.held]).toEqual([1, [], undefined]);
  });

  it('starts the grace over once the edge is healthy again', () => {
    const plan = planReplacements(input({ records: [edgeRecord('a'), edgeRecord('b')], failingSince: new Map([['b', 1]]) }));
    expect([plan.remove, plan.waiting, [...plan.failingSince]]).toEqual([[], [], []]);
  });

  it('treats an edge whose record is gone after it registered (lost) like an unhealthy one', () => {
    const plan = planReplacements(input({ records: [edgeRecord('a')], lost: ['b'], failingSince: new Map([['b', 80_000]]) }));
    expect(plan.remove).toEqual([{ id: 'b', since: 80_000, reason: 'its registry record is gone (no heartbeat)' }]);
    expect(plan.add).toBe(1);
  });

  it('replaces nothing while no registered edge is healthy (a shared cause), and says so', () => {
    const plan = planReplacements(
      input({
        records: [sick('a'), sick('b')],
        failingSince: new Map([
          ['a', 1],
          ['b', 1],
        ]),
      }),
    );
    expect([plan.remove, plan.add]).toEqual([[], 0]);
    expect(plan.waiting.map((e) => e.id)).toEqual(['a', 'b']);
    expect(plan.held).toContain('no other registered edge is healthy');
  });

  it('counts a healthy edge it does not own as a witness, but never replaces an edge it does not own', () => {
    const plan = planReplacements(
      input({
        records: [edgeRecord('foreign'), sick('b'), sick('other')],
        owned: running('b'),
        previouslyOwned: new Set(['b']),
        failingSince: new Map([
          ['b', 1],
          ['other', 1],
        ]),
      }),
    );
    expect(plan.remove.map((e) => e.id)).toEqual(['b']);
    expect([...plan.failingSince.keys()]).toEqual(['b']);
  });

  it('launches one edge at once for each edge that left the actuator unasked, and none for edges it removes itself', () => {
    const vanished = planReplacements(
      input({ records: [edgeRecord('a')], owned: running('a'), previouslyOwned: new Set(['a', 'b', 'c']) }),
    );
    expect([vanished.vanished, vanished.add, vanished.remove]).toEqual([['b', 'c'], 2, []]);
    const removing = planReplacements(
      input({ records: [edgeRecord('a')], owned: running('a'), previouslyOwned: new Set(['a', 'b']), removing: new Set(['b']) }),
    );
    expect([removing.vanished, removing.add]).toEqual([[], 0]);
  });

  it('leaves alone edges being removed or stopping', () => {
    const plan = planReplacements(
      input({
        owned: [
          { id: 'a', state: 'running' },
          { id: 'b', state: 'stopping' },
        ],
        failingSince: new Map([['b', 1]]),
      }),
    );
    expect([plan.remove, plan.waiting, plan.add]).toEqual([[], [], 0]);
    expect(planReplacements(input({ removing: new Set(['b']), failingSince: new Map([['b', 1]]) })).remove).toEqual([]);
  });

  it('launches fewer when the policy already launched edges after the failure began, and never above maxEdges', () => {
    const owned = running('a', 'b', 'c');
    const failingSince = new Map([['b', 90_000]]);
    const standIn = planReplacements(input({ owned, failingSince, launchedAt: new Map([['c', 95_000]]) }));
    expect([standIn.remove.map((e) => e.id), standIn.add]).toEqual([['b'], 0]);
    const earlier = planReplacements(input({ owned, failingSince, launchedAt: new Map([['c', 85_000]]) }));
    expect(earlier.add).toBe(1);
    const full = planReplacements(input({ failingSince, room: 0 }));
    expect([full.remove.map((e) => e.id), full.add]).toEqual([['b'], 0]);
  });
});
