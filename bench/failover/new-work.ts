/**
 * Whether the rewriter still hands new work to an edge, looked at from
 * outside as a viewer would see it: which edge newly listed segment URIs, new
 * 302s and steering manifests name. Segments already listed keep their URI
 * while listed (hls.js rejects a changed one, docs/rewriter.md), so only what
 * is new in an answer counts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseMediaPlaylist, resolveUrl } from '../../load-tests/lib/hls.js';
import type { EdgeService } from '../../src/edge/index.js';
import {
  MODE_PARAM,
  PATHWAY_PARAM,
  STEERING_PATH,
  type RewriterMode,
  type RunningRewriter,
  type SteeringManifest,
} from '../../src/rewriter/index.js';

export const POLL_MS = 20;

export const playlistUrl = (rewriter: RunningRewriter, path: string, params: Record<string, string>) =>
  `${rewriter.url}${path}?${new URLSearchParams(params).toString()}`;

export async function fetchPlaylist(url: string) {
  const res = await fetch(url);
  const parsed = parseMediaPlaylist(await res.text());
  if (!parsed.ok) throw new Error(`bad playlist from ${url}: ${parsed.error.message}`);
  return { url: res.url, segments: parsed.value.segments };
}

/** Where the rewriter sends a segment URL now: the 302's Location in redirect mode, else the URL itself. */
export async function destination(url: string): Promise<string> {
  const res = await fetch(url, { redirect: 'manual' });
  await res.arrayBuffer();
  return res.headers.get('location') ?? url;
}

export interface Poll {
  /** Since the fault, ms, when the answer was in. */
  t: number;
  /** Whether the answer handed out work it had not handed out before (new segment URIs, a redirect, a manifest). */
  newWork: boolean;
  namesVictim: boolean;
}

/**
 * One look at what the rewriter hands out now, in `mode`. absolute: the
 * segments newly listed in the primary and the BACKUP media playlists of the
 * watched stream and of a fast probe stream (a segment every 250 ms, so new
 * placements come often); redirect: the 302s for the watched stream's newest
 * six segments (each a new decision); steering: the steering manifest's
 * PATHWAY-PRIORITY and the segments newly listed in the probe stream's media
 * playlist pinned to the victim's pathway.
 */
export function newWorkProbe(options: {
  rewriter: RunningRewriter;
  mode: RewriterMode;
  victim: EdgeService;
  watched: string;
  probe: string;
}) {
  const { rewriter, mode, victim } = options;
  const onVictim = (url: string) => url.startsWith(`${victim.url}/`);
  const lastSeen = new Map<string, number>();
  const newlyListed = async (url: string) => {
    const { url: base, segments } = await fetchPlaylist(url);
    const seen = lastSeen.get(url);
    lastSeen.set(url, segments.at(-1)?.msn ?? seen ?? -1);
    return seen === undefined ? [] : segments.filter((s) => s.msn > seen).map((s) => resolveUrl(base, s.uri));
  };
  const absolute = [options.watched, options.probe].flatMap((path) => [
    playlistUrl(rewriter, path, { [MODE_PARAM]: 'absolute' }),
    playlistUrl(rewriter, path, { [MODE_PARAM]: 'absolute', hlscdn_backup: '1' }),
  ]);
  const pinned = playlistUrl(rewriter, options.probe, { [MODE_PARAM]: 'steering', [PATHWAY_PARAM]: victim.id });
  return async (): Promise<Omit<Poll, 't'>> => {
    if (mode === 'absolute') {
      const fresh = (await Promise.all(absolute.map(newlyListed))).flat();
      return { newWork: fresh.length > 0, namesVictim: fresh.some(onVictim) };
    }
    if (mode === 'redirect') {
      const { url: base, segments } = await fetchPlaylist(playlistUrl(rewriter, options.watched, { [MODE_PARAM]: 'redirect' }));
      const targets = await Promise.all(segments.slice(-6).map((s) => destination(resolveUrl(base, s.uri))));
      return { newWork: true, namesVictim: targets.some(onVictim) };
    }
    const [manifest, fresh] = await Promise.all([
      fetch(`${rewriter.url}${STEERING_PATH}`).then(async (res) => (await res.json()) as SteeringManifest),
      newlyListed(pinned),
    ]);
    return { newWork: true, namesVictim: manifest['PATHWAY-PRIORITY'].includes(victim.id) || fresh.some(onVictim) };
  };
}

/** Looks every POLL_MS from `since` (performance.now() of the fault) for `windowMs`. */
export async function watchNewWork(look: () => Promise<Omit<Poll, 't'>>, since: number, windowMs: number): Promise<Poll[]> {
  const polls: Poll[] = [];
  while (performance.now() - since < windowMs) {
    const seen = await look().catch(() => ({ newWork: false, namesVictim: false }));
    polls.push({ t: performance.now() - since, ...seen });
    await sleep(POLL_MS);
  }
  return polls;
}

/**
 * The first answer with new work after the last one that named the victim: from
 * then on, nothing new went to it. NaN when it was still named in the window's last second.
 */
export function noNewWorkAfter(polls: readonly Poll[], windowMs: number): number {
  const last = polls.findLastIndex((p) => p.namesVictim);
  if (last < 0) return polls.find((p) => p.newWork)?.t ?? Number.NaN;
  if (polls[last]!.t > windowMs - 1_000) return Number.NaN;
  return polls.slice(last + 1).find((p) => p.newWork)?.t ?? Number.NaN;
}

/** Stretches of consecutive answers that named the victim, as [first, last] ms since the fault. */
export function namedRuns(polls: readonly Poll[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let open = false;
  for (const poll of polls) {
    if (poll.namesVictim && open) runs.at(-1)![1] = poll.t;
    else if (poll.namesVictim) runs.push([poll.t, poll.t]);
    if (poll.newWork) open = poll.namesVictim;
  }
  return runs;
}
