import { describe, expect, it } from 'vitest';
import { edgeRecord } from '../../edge-registry/test-support/records.js';
import { appendSignature } from '../../edge/index.js';
import { fleetState } from './fleet.js';
import { createMediaTargeter, type MediaObject } from './media-target.js';

const records = [
  edgeRecord('edge-a', { url: 'http://127.0.0.1:8101' }),
  edgeRecord('edge-b', { url: 'http://127.0.0.1:8102/' }),
  edgeRecord('edge-c', { url: 'http://127.0.0.1:8103', zone: 'eu' }),
];
const fleet = fleetState({ edges: records, ageMs: 0, connected: true }, { maxSnapshotAgeMs: 10_000 });
const base = { fleet, balanceFactor: 1.25, quietEdgeRequestsPerSec: 100, fallbackBase: 'https://origin.example.com/' };
const object = (name: string, search = ''): MediaObject => ({ rewriterPath: `/live/${name}`, originPath: `/store/live/${name}`, search });

describe('createMediaTargeter', () => {
  it('writes <edge url><origin path><query>, the same edge for the same path whatever the query', () => {
    const target = createMediaTargeter(base);
    const plain = target(object('seg1.ts'));
    const tokened = target(object('seg1.ts', '?token=abc'));
    expect('edgeId' in plain && 'edgeId' in tokened && plain.edgeId === tokened.edgeId).toBe(true);
    const edge = records.find((r) => 'edgeId' in plain && r.id === plain.edgeId)!;
    expect(tokened.url).toBe(`${edge.url.replace(/\/$/, '')}/store/live/seg1.ts?token=abc`);
  });

  it('spreads many objects over every edge', () => {
    const target = createMediaTargeter(base);
    const used = new Set(
      Array.from({ length: 60 }, (_, i) => target(object(`seg${i}.ts`))).map((t) => ('edgeId' in t ? t.edgeId : 'fallback')),
    );
    expect([...used].sort()).toEqual(['edge-a', 'edge-b', 'edge-c']);
  });

  it('prefers the viewer zone when it has an active edge', () => {
    const target = createMediaTargeter({ ...base, zone: 'eu' });
    for (let i = 0; i < 10; i++) expect(target(object(`seg${i}.ts`))).toMatchObject({ edgeId: 'edge-c' });
  });

  it('sends everything to a pinned edge while it is active, and balances again when it is not', () => {
    const pinned = createMediaTargeter({ ...base, pinnedEdgeId: 'edge-b' });
    for (let i = 0; i < 10; i++) expect(pinned(object(`seg${i}.ts`))).toMatchObject({ edgeId: 'edge-b' });
    const gone = createMediaTargeter({ ...base, pinnedEdgeId: 'edge-z' });
    const used = new Set(Array.from({ length: 30 }, (_, i) => gone(object(`seg${i}.ts`))).map((t) => ('edgeId' in t ? t.edgeId : '')));
    expect(used.size).toBeGreaterThan(1);
  });

  it('falls back to the fallback base (the origin base path dropped), with the reason', () => {
    const target = createMediaTargeter({ ...base, fleet: { usable: false, reason: 'registry-stale' } });
    expect(target(object('seg1.ts', '?t=1'))).toEqual({ url: 'https://origin.example.com/live/seg1.ts?t=1', fallback: 'registry-stale' });
  });

  it('signs edge and fallback URLs with the given signer, over the path the edge sees', () => {
    const sign = (url: URL) => appendSignature(url, { expiresAt: 2_000_000_000, secret: 'secret-0123456789' });
    const chosen = createMediaTargeter({ ...base, sign })(object('seg1.ts', '?token=abc'));
    const url = new URL(chosen.url);
    expect(url.searchParams.get('token')).toBe('abc');
    expect(url.searchParams.get('expires')).toBe('2000000000');
    expect(url.href).toBe(sign(new URL(url.origin + url.pathname + '?token=abc')).href);
    const fallback = createMediaTargeter({ ...base, sign, fleet: { usable: false, reason: 'no-live-edge' } })(object('seg1.ts'));
    expect(new URL(fallback.url).searchParams.has('md5')).toBe(true);
  });
});

describe('placements', () => {
  const withLoad = (loads: Record<string, number>, draining: string[] = []) =>
    fleetState(
      {
        edges: records.map((r) => ({
          ...r,
          zone: undefined,
          state: draining.includes(r.id) ? ('draining' as const) : ('active' as const),
          load: { ...r.load, requestsPerSec: loads[r.id] ?? 0 },
        })),
        ageMs: 0,
        connected: true,
      },
      { maxSnapshotAgeMs: 10_000 },
    );

  it('keeps a placed object on its edge when that edge turns busy, and places new objects by bounded load', async () => {
    const { EdgePlacements } = await import('./edge-placements.js');
    const placements = new EdgePlacements();
    const quiet = createMediaTargeter({ ...base, fleet: withLoad({}), quietEdgeRequestsPerSec: 1, placements });
    const first = quiet(object('hot.ts'));
    if (!('edgeId' in first)) throw new Error('expected an edge');
    // A flash crowd on that segment: its edge is now far above 1.25 x its share.
    const busy = withLoad({ [first.edgeId]: 1_000 });
    const stuck = createMediaTargeter({ ...base, fleet: busy, quietEdgeRequestsPerSec: 1, placements });
    expect(stuck(object('hot.ts'))).toMatchObject({ edgeId: first.edgeId });
    // Without the memory the same segment would spill to another edge (another origin fetch).
    const forgetful = createMediaTargeter({ ...base, fleet: busy, quietEdgeRequestsPerSec: 1 });
    expect(forgetful(object('hot.ts'))).not.toMatchObject({ edgeId: first.edgeId });
    // New objects avoid the busy edge.
    for (let i = 0; i < 10; i++) expect(stuck(object(`new${i}.ts`))).not.toMatchObject({ edgeId: first.edgeId });
  });

  it('redirects a placed object elsewhere when its edge drains, without forgetting where playlists put it', async () => {
    const { EdgePlacements } = await import('./edge-placements.js');
    const placements = new EdgePlacements();
    const first = createMediaTargeter({ ...base, fleet: withLoad({}), placements, sticky: true })(object('seg.ts'));
    if (!('edgeId' in first)) throw new Error('expected an edge');
    const redirect = createMediaTargeter({ ...base, fleet: withLoad({}, [first.edgeId]), placements })(object('seg.ts'));
    expect('edgeId' in redirect && redirect.edgeId !== first.edgeId).toBe(true);
    // A playlist keeps the URI it already listed (players refuse a listed URI that changes).
    const listed = createMediaTargeter({ ...base, fleet: withLoad({}, [first.edgeId]), placements, sticky: true })(object('seg.ts'));
    expect(listed).toEqual(first);
  });

  it('keeps a listed URI when its edge left the registry, and places new objects on live edges', async () => {
    const { EdgePlacements } = await import('./edge-placements.js');
    const placements = new EdgePlacements();
    const first = createMediaTargeter({ ...base, fleet: withLoad({}), placements, sticky: true })(object('seg.ts'));
    if (!('edgeId' in first)) throw new Error('expected an edge');
    const without = fleetState(
      { edges: records.filter((r) => r.id !== first.edgeId).map((r) => ({ ...r, zone: undefined })), ageMs: 0, connected: true },
      { maxSnapshotAgeMs: 10_000 },
    );
    const targeter = createMediaTargeter({ ...base, fleet: without, placements, sticky: true });
    expect(targeter(object('seg.ts'))).toEqual(first);
    for (let i = 0; i < 10; i++) expect(targeter(object(`new${i}.ts`))).not.toMatchObject({ edgeId: first.edgeId });
  });

  it('keeps listed URIs while the registry is stale, primary and backup; new objects, redirects and a fleet with no live edge get the fallback', async () => {
    const stale = { usable: false as const, reason: 'registry-stale' as const };
    const { EdgePlacements } = await import('./edge-placements.js');
    const placements = new EdgePlacements();
    const primary = createMediaTargeter({ ...base, fleet: withLoad({}), placements, sticky: true })(object('seg.ts'));
    const backup = createMediaTargeter({ ...base, fleet: withLoad({}), placements, sticky: true, backup: true })(object('seg.ts'));
    if (!('edgeId' in primary) || !('edgeId' in backup)) throw new Error('expected edges');
    expect(createMediaTargeter({ ...base, fleet: stale, placements, sticky: true })(object('seg.ts'))).toEqual(primary);
    expect(createMediaTargeter({ ...base, fleet: stale, placements, sticky: true, backup: true })(object('seg.ts'))).toEqual(backup);
    expect(createMediaTargeter({ ...base, fleet: stale, placements, sticky: true })(object('new.ts'))).toMatchObject({
      fallback: stale.reason,
    });
    // A redirect is not bound by a listed URI: with no usable fleet it goes to the fallback.
    expect(createMediaTargeter({ ...base, fleet: stale, placements })(object('seg.ts'))).toMatchObject({ fallback: stale.reason });
    // No live edge: the listed edge is known gone, so the listed URI moves to the fallback too.
    const gone = { usable: false as const, reason: 'no-live-edge' as const };
    expect(createMediaTargeter({ ...base, fleet: gone, placements, sticky: true })(object('seg.ts'))).toMatchObject({
      fallback: 'no-live-edge',
    });
  });

  it('keeps an object listed at the fallback there when edges come back; redirects and new objects go to edges', async () => {
    const { EdgePlacements } = await import('./edge-placements.js');
    const placements = new EdgePlacements();
    const stale = { usable: false as const, reason: 'registry-stale' as const };
    const during = createMediaTargeter({ ...base, fleet: stale, placements, sticky: true })(object('seg.ts'));
    expect(during).toMatchObject({ fallback: 'registry-stale' });
    expect(createMediaTargeter({ ...base, fleet: withLoad({}), placements, sticky: true })(object('seg.ts'))).toEqual(during);
    expect(createMediaTargeter({ ...base, fleet: withLoad({}), placements })(object('seg.ts'))).toHaveProperty('edgeId');
    expect(createMediaTargeter({ ...base, fleet: withLoad({}), placements, sticky: true })(object('new.ts'))).toHaveProperty('edgeId');
  });

  it('puts the backup copy of an object on another edge than its primary, and keeps both', async () => {
    const { EdgePlacements } = await import('./edge-placements.js');
    const placements = new EdgePlacements();
    for (let i = 0; i < 20; i++) {
      const primary = createMediaTargeter({ ...base, fleet: withLoad({}), placements, sticky: true })(object(`s${i}.ts`));
      const backup = createMediaTargeter({ ...base, fleet: withLoad({}), placements, sticky: true, backup: true })(object(`s${i}.ts`));
      expect('edgeId' in primary && 'edgeId' in backup && primary.edgeId !== backup.edgeId).toBe(true);
    }
  });

  it('forgets the least recently used placements past its bound', async () => {
    const { EdgePlacements } = await import('./edge-placements.js');
    const placements = new EdgePlacements(2);
    const at = (id: string) => ({ edgeId: id, base: `https://${id}.test/` });
    placements.remember('a', at('edge-a'));
    placements.remember('b', at('edge-b'));
    placements.get('a');
    placements.remember('c', at('edge-c'));
    expect([placements.get('a')?.edgeId, placements.get('b'), placements.get('c')?.edgeId, placements.size]).toEqual([
      'edge-a',
      undefined,
      'edge-c',
      2,
    ]);
  });
});
