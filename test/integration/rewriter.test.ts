/**
 * The rewriter with real parts: redis-server, the origin server over a
 * filesystem store holding a real ffmpeg-made HLS VOD stream, three signed
 * nginx edges registered in Redis, the registry view and the rewriter. ffmpeg
 * plays the stream through the rewriter, start to end, in each mode.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/core/http/serve.js';
import { silentLogger } from '../../src/core/logger.js';
import { requireExecutable, startRedisServer, waitUntil, type RunningRedisServer } from '../../src/core/process/index.js';
import type { EdgeService } from '../../src/edge/index.js';
import { FsObjectStore, startOriginServer } from '../../src/origin-store/index.js';
import { rewriterSchema, startRewriter, type RunningRewriter, type SteeringManifest } from '../../src/rewriter/index.js';
import { countingStore, type CountingStore } from '../support/counting-store.js';
import { startTestEdge } from '../support/edge-fixture.js';

const SECRET = 'rewriter-integration-secret';
const SEGMENTS = 10;
const ffmpeg = requireExecutable('ffmpeg', 'install it (Debian: apt-get install ffmpeg)');

let dir: string;
let redis: RunningRedisServer;
let store: CountingStore;
let origin: RunningServer;
let edges: EdgeService[] = [];
let rewriter: RunningRewriter;

interface RunResult {
  code: number | null;
  stderr: string;
}

/** Runs ffmpeg (no shell); resolves with its exit code and error output. */
function runFfmpeg(args: string[], options: { timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

/**
 * ffmpeg as a player: reads the whole stream through the rewriter, remuxing to nowhere.
 * `-http_persistent 0`: ffmpeg's HLS demuxer otherwise tries to reuse one keep-alive
 * connection for every segment and prints an error line each time the next segment is
 * on another host (another edge), then opens a new connection anyway.
 */
const play = (url: string, extra: string[] = []) =>
  runFfmpeg(['-v', 'error', '-http_persistent', '0', ...extra, '-i', url, '-c', 'copy', '-f', 'null', '-']);

/** Segment requests per edge, from the edges' JSON access logs (X-Edge-Id's source). */
async function segmentRequestsByEdge(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const edge of edges) {
    const log = await readFile(join(dir, edge.id, 'nginx', 'access.log'), 'utf8').catch(() => '');
    for (const line of log.split('\n')) {
      if (!line.includes('/vod/v0/seg')) continue;
      const entry = JSON.parse(line) as { edgeId: string; status: number };
      // ffmpeg asks with `Range: bytes=0-`: 206.
      if (entry.status === 200 || entry.status === 206) counts.set(entry.edgeId, (counts.get(entry.edgeId) ?? 0) + 1);
    }
  }
  return counts;
}

async function steeringManifest(): Promise<SteeringManifest> {
  return (await (await fetch(`${rewriter.url}/.hlscdn/steering`)).json()) as SteeringManifest;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hlscdn-rewriter-it-'));
  const media = join(dir, 'media');
  await mkdir(join(media, 'v0'), { recursive: true });
  const made = await runFfmpeg([
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x180:rate=25',
    '-f',
    'lavfi',
    '-i',
    'sine',
    '-t',
    String(SEGMENTS),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-g',
    '25',
    '-c:a',
    'aac',
    '-f',
    'hls',
    '-hls_time',
    '1',
    '-hls_playlist_type',
    'vod',
    '-master_pl_name',
    'master.m3u8',
    '-var_stream_map',
    'v:0,a:0',
    '-hls_segment_filename',
    join(media, 'v%v', 'seg%d.ts'),
    join(media, 'v%v', 'index.m3u8'),
  ]);
  if (made.code !== 0) throw new Error(`ffmpeg could not make the test stream: ${made.stderr}`);

  redis = await startRedisServer({ dir: join(dir, 'redis') });
  store = countingStore(new FsObjectStore({ root: join(dir, 'store') }));
  for (const file of [
    'master.m3u8',
    'v0/index.m3u8',
    ...(await readdir(join(media, 'v0'))).filter((f) => f.endsWith('.ts')).map((f) => `v0/${f}`),
  ]) {
    await store.put(`vod/${file}`, await readFile(join(media, file)));
  }
  origin = await startOriginServer({ store, logger: silentLogger(), port: 0 });
  edges = await Promise.all(
    ['edge-a', 'edge-b', 'edge-c'].map((id) =>
      startTestEdge({ dir, redisUrl: redis.url, originUrl: origin.url, id, signingSecret: SECRET }),
    ),
  );
  rewriter = await startRewriter({
    // These cases count origin reads per segment; the backup pathway (a second copy of each
    // variant, which ffmpeg probes too) has a case of its own below.
    rewriter: rewriterSchema.parse({ port: 0, originUrl: origin.url, backupPathways: false }),
    signing: { secret: SECRET, ttlSec: 600 },
    registry: { redis: { url: redis.url } },
    logger: silentLogger(),
  });
  await waitUntil(async () => (await steeringManifest())['PATHWAY-CLONES'].length === 3, { what: 'the rewriter to see three edges' });
}, 60_000);

afterAll(async () => {
  await rewriter?.close();
  // An edge whose nginx was killed has already stopped; closing it again must not fail the suite.
  await Promise.all(edges.map((edge) => edge.close().catch(() => undefined)));
  await origin?.close();
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('rewriter with real edges', () => {
  it('plays the stream end to end in absolute mode, from signed edge URLs spread over the edges', async () => {
    const result = await play(`${rewriter.url}/vod/master.m3u8`);
    expect(result).toEqual({ code: 0, stderr: '' });

    const media = await (await fetch(`${rewriter.url}/vod/v0/index.m3u8`)).text();
    const uris = media.split('\n').filter((line) => line.startsWith('http'));
    expect(uris).toHaveLength(SEGMENTS);
    for (const uri of uris) expect(new URL(uri).searchParams.has('md5')).toBe(true);
    // The edges really check signatures: the same URL unsigned is refused.
    const unsigned = new URL(uris[0]!);
    unsigned.search = '';
    expect((await fetch(unsigned)).status).toBe(403);

    const byEdge = await segmentRequestsByEdge();
    expect([...byEdge.values()].reduce((a, b) => a + b, 0)).toBe(SEGMENTS);
    expect(byEdge.size).toBeGreaterThanOrEqual(2);
  });

  it('plays it in redirect mode, each segment from the edge absolute mode chose (one origin read per segment)', async () => {
    const result = await play(`${rewriter.url}/vod/master.m3u8?hlscdn_mode=redirect`);
    expect(result).toEqual({ code: 0, stderr: '' });
    const byEdge = await segmentRequestsByEdge();
    expect([...byEdge.values()].reduce((a, b) => a + b, 0)).toBe(2 * SEGMENTS);
    for (let i = 0; i < SEGMENTS; i++) expect(store.reads(`vod/v0/seg${i}.ts`)).toBe(1);
  });

  it('plays it in steering mode, and a pathway clone pins the media playlist to its edge', async () => {
    const result = await play(`${rewriter.url}/vod/master.m3u8?hlscdn_mode=steering`);
    expect(result).toEqual({ code: 0, stderr: '' });
    // ffmpeg ignores steering: it plays the base pathway, balanced per segment like absolute mode.
    for (let i = 0; i < SEGMENTS; i++) expect(store.reads(`vod/v0/seg${i}.ts`)).toBe(1);
    const master = await (await fetch(`${rewriter.url}/vod/master.m3u8?hlscdn_mode=steering`)).text();
    expect(master).toContain('#EXT-X-CONTENT-STEERING:SERVER-URI="../.hlscdn/steering?hlscdn_mode=steering"');

    const manifest = await steeringManifest();
    expect(manifest['PATHWAY-PRIORITY']).toHaveLength(4);
    const clone = manifest['PATHWAY-CLONES'].find((c) => c.ID === 'edge-b')!;
    const pinned = await (await fetch(`${rewriter.url}/vod/v0/index.m3u8?${new URLSearchParams(clone['URI-REPLACEMENT'].PARAMS)}`)).text();
    const uris = pinned.split('\n').filter((line) => line.startsWith('http'));
    expect(uris.every((uri) => uri.startsWith(`${edges[1]!.url}/`))).toBe(true);
    const segment = await fetch(uris[0]!);
    expect([segment.status, segment.headers.get('x-edge-id')]).toEqual([200, 'edge-b']);
    await segment.arrayBuffer();
  });

  it('offers a backup pathway in absolute mode whose media playlist sends each segment to another edge', async () => {
    const redundant = await startRewriter({
      rewriter: rewriterSchema.parse({ port: 0, originUrl: origin.url }),
      signing: { secret: SECRET, ttlSec: 600 },
      registry: { redis: { url: redis.url } },
      logger: silentLogger(),
    });
    try {
      const master = await (await fetch(`${redundant.url}/vod/master.m3u8`)).text();
      expect(master.match(/PATHWAY-ID="PRIMARY"/g)).toHaveLength(1);
      expect(master.match(/PATHWAY-ID="BACKUP"/g)).toHaveLength(1);
      const [primaryUri, backupUri] = master.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
      expect(backupUri).toBe(`${primaryUri}?hlscdn_backup=1`);
      const segmentsOf = async (uri: string) =>
        (await (await fetch(new URL(uri, `${redundant.url}/vod/`))).text()).split('\n').filter((line) => line.startsWith('http'));
      const [primary, backup] = await Promise.all([segmentsOf(primaryUri!), segmentsOf(backupUri!)]);
      expect(backup).toHaveLength(SEGMENTS);
      for (let i = 0; i < SEGMENTS; i++) {
        // Same object, another edge.
        expect(new URL(backup[i]!).pathname).toBe(new URL(primary[i]!).pathname);
        expect(new URL(backup[i]!).host).not.toBe(new URL(primary[i]!).host);
      }
      const answer = await fetch(backup[0]!);
      expect(answer.status).toBe(200);
      await answer.arrayBuffer();
      // A player left with only the backup pathway plays the whole stream from it.
      expect(await play(new URL(backupUri!, `${redundant.url}/vod/`).href)).toEqual({ code: 0, stderr: '' });
    } finally {
      await redundant.close();
    }
  });

  it('in redirect mode, an edge killed while a viewer plays costs the viewer nothing', async () => {
    // The edge that most of the second half of the stream goes to.
    const later = await Promise.all(
      Array.from({ length: SEGMENTS / 2 }, async (_, i) => {
        const res = await fetch(`${rewriter.url}/vod/v0/seg${SEGMENTS / 2 + i}.ts`, { redirect: 'manual' });
        return edges.find((edge) => res.headers.get('location')!.startsWith(edge.url))!;
      }),
    );
    const victim = later.sort((a, b) => later.filter((e) => e === b).length - later.filter((e) => e === a).length)[0]!;
    const redirects = async () => {
      const text = await (await fetch(`${rewriter.url}/metrics`)).text();
      return Number(/hlscdn_rewriter_requests_total\{kind="redirect",mode="absolute",outcome="ok"[^}]*\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    const before = await redirects();

    // -re: read at the stream's pace, so segments are fetched one per second while the edge dies.
    const playing = play(`${rewriter.url}/vod/master.m3u8?hlscdn_mode=redirect`, ['-re']);
    await waitUntil(async () => (await redirects()) >= before + 2, {
      timeoutMs: 10_000,
      intervalMs: 20,
      what: 'the player to fetch two segments',
    });
    // Right after a fetch: the next one is about a second away, the edge's deregistration takes milliseconds.
    process.kill(victim.nginxPid, 'SIGKILL');
    await waitUntil(async () => !(await steeringManifest())['PATHWAY-CLONES'].some((c) => c.ID === victim.id), {
      timeoutMs: 3_000,
      what: 'the killed edge to leave',
    });

    expect(await playing).toEqual({ code: 0, stderr: '' });
    for (let i = SEGMENTS / 2; i < SEGMENTS; i++) {
      const location = (await fetch(`${rewriter.url}/vod/v0/seg${i}.ts`, { redirect: 'manual' })).headers.get('location')!;
      expect(location.startsWith(victim.url)).toBe(false);
    }
  });
});
