/**
 * The task system with real parts: redis-server, the control API, and two workers in
 * their own processes (so one can be SIGKILLed). Covers the API's auth and validation,
 * the SRS hooks, a VOD task to done, and failover: a live task whose worker dies
 * continues on the other worker with continuous media sequence numbers, and a stop
 * request reaches it there.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { createMetricsRegistry } from '../../src/core/metrics.js';
import { startRedisServer, waitUntil } from '../../src/core/process/index.js';
import type { RunningRedisServer } from '../../src/core/process/index.js';
import { FsObjectStore } from '../../src/origin-store/index.js';
import { createControlApp, parseMediaPlaylist, startControlService, transcoderSchema } from '../../src/transcoder/index.js';
import type { MediaPlaylist, RunningControlService, TaskRecord } from '../../src/transcoder/index.js';

const TOKEN = 'test-token-0123456789';
const INDEX = fileURLToPath(new URL('../../src/transcoder/index.ts', import.meta.url));
const STORE = fileURLToPath(new URL('../../src/origin-store/index.ts', import.meta.url));

let dir: string;
let redis: RunningRedisServer;
let api: RunningControlService;
let store: FsObjectStore;
const workers = new Map<string, ChildProcess>();

/**
 * A worker in its own node process. It prints "ready" once it takes tasks and shuts
 * down (handing its tasks back) on SIGTERM.
 */
const WORKER_SCRIPT = `
const [index, storeModule, settings] = process.argv.slice(1);
const { TaskWorker, prepareLaunchers } = await import(index);
const { FsObjectStore } = await import(storeModule);
const s = JSON.parse(settings);
const worker = await TaskWorker.start({
  ...s.worker,
  redis: s.redis,
  store: new FsObjectStore({ root: s.storeRoot }),
  launchers: await prepareLaunchers(),
  session: { scanIntervalMs: 200, restartPolicy: { maxAttempts: 3, backoff: { maxAttempts: Infinity, baseDelayMs: 100, maxDelayMs: 200, jitter: 0 }, healthyAfterMs: 60000 } },
});
process.stdout.write('ready\\n');
process.on('SIGTERM', () => worker.close().then(() => process.exit(0)));
`;

async function startWorker(id: string): Promise<void> {
  const settings = {
    redis: { url: redis.url },
    storeRoot: join(dir, 'store'),
    worker: {
      id,
      workDir: join(dir, 'work', id),
      concurrency: 1,
      lockDurationMs: 3_000,
      stalledIntervalMs: 1_000,
      stopPollMs: 500,
      progressIntervalMs: 500,
    },
  };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', WORKER_SCRIPT, INDEX, STORE, JSON.stringify(settings)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = (await Promise.race([
    once(createInterface({ input: child.stdout! }), 'line'),
    once(child, 'exit').then(() => ['exited']),
  ])) as [string];
  if (line !== 'ready') throw new Error(`worker ${id} did not start`);
  workers.set(id, child);
}

async function stopWorker(id: string, signal: NodeJS.Signals): Promise<void> {
  const child = workers.get(id);
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

const call = async (method: string, path: string, body?: unknown, token: string | undefined = TOKEN) => {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
};
const task = async (id: string) => (await call('GET', `/tasks/${id}`)).body as unknown as TaskRecord;

async function playlist(key: string): Promise<MediaPlaylist | undefined> {
  const found = await store.get(key);
  if (found.kind !== 'body') return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of found.body) chunks.push(Buffer.from(chunk as Uint8Array));
  const parsed = parseMediaPlaylist(Buffer.concat(chunks).toString('utf8'));
  return parsed.ok ? parsed.value : undefined;
}

/** Processes whose command line mentions a path: a dead worker's ffmpeg would. */
function processesMentioning(path: string): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(path) && !line.includes('ps -eo'));
}

const TINY = [{ kind: 'video', name: '90p', height: 90, videoBitrateKbps: 80, audioBitrateKbps: 64, profile: 'baseline' }];
const HOOKS = {
  enabled: true,
  inputBaseUrl: 'rtmp://127.0.0.1:1935',
  streamKeys: ['cam1=k-123456'],
  ladder: ['360p'],
  segmentSec: 2,
  dvrWindowSec: 12,
  outputPrefix: 'live/{app}/{stream}',
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hlscdn-workers-'));
  redis = await startRedisServer({ dir: join(dir, 'redis') });
  store = new FsObjectStore({ root: join(dir, 'store') });
  const transcoder = transcoderSchema.parse({ hooks: { srs: HOOKS } });
  api = await startControlService({ redis: { url: redis.url }, token: TOKEN, port: 0, transcoder, logger: silentLogger() });
});

afterAll(async () => {
  await Promise.all([...workers.keys()].map((id) => stopWorker(id, 'SIGKILL')));
  await api?.close();
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('control API', () => {
  it('refuses requests without the right token with 401', async () => {
    expect((await call('GET', '/tasks', undefined, null as unknown as undefined)).status).toBe(401);
    expect((await call('GET', '/tasks', undefined, 'wrong')).status).toBe(401);
    expect((await call('POST', '/tasks', { input: 'rtmp://x/y/z' }, 'wrong')).status).toBe(401);
    // Service routes stay open for probes and scrapes.
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
  });

  it('refuses every task request when no token is configured', async () => {
    const app = createControlApp({
      control: api.control,
      token: undefined,
      registry: createMetricsRegistry({ service: 't', processMetrics: false }),
      logger: silentLogger(),
    });
    const res = await app.request('/tasks', { headers: { Authorization: 'Bearer anything' } });
    expect(res.status).toBe(401);
  });

  it('answers a bad spec with 400 naming the fields', async () => {
    const res = await call('POST', '/tasks', { input: 'ftp://nope', segment: { durationSec: -1 }, ladder: ['9000p'] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid-task-spec' });
    const fields = (res.body?.details as { problems: { field: string }[] }).problems.map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['input', 'segment.durationSec']));
    expect((await call('POST', '/tasks', '{not json')).status).toBe(400);
  });

  it('answers 404 for unknown tasks and 409 for a taken id', async () => {
    expect((await call('GET', '/tasks/nope')).status).toBe(404);
    expect((await call('POST', '/tasks/nope/stop')).status).toBe(404);
    expect((await call('DELETE', '/tasks/nope')).status).toBe(404);
    expect((await call('POST', '/tasks', { id: 'dup', input: 'rtmp://127.0.0.1:1/a/b' })).status).toBe(201);
    expect((await call('POST', '/tasks', { id: 'dup', input: 'rtmp://127.0.0.1:1/a/b' })).status).toBe(409);
    // Stopping a task no worker has taken yet ends it at once.
    expect((await call('POST', '/tasks/dup/stop')).body).toMatchObject({ id: 'dup', state: 'stopped', stopRequested: true });
    expect((await call('DELETE', '/tasks/dup')).status).toBe(204);
  });
});

describe('SRS hooks', () => {
  const hook = (body: Record<string, unknown>) =>
    fetch(`${api.url}/hooks/srs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const publish = {
    action: 'on_publish',
    client_id: 'c1',
    ip: '127.0.0.1',
    vhost: '__defaultVhost__',
    app: 'live',
    stream: 'cam1',
    param: '?key=k-123456',
  };

  it('refuses a publish without the stream key', async () => {
    const res = await hook({ ...publish, param: '?key=guess' });
    expect(res.status).toBe(403);
    expect((await call('GET', '/tasks/srs-live-cam1')).status).toBe(404);
  });

  it('starts a live task on publish and stops it on unpublish', async () => {
    const res = await hook(publish);
    expect([res.status, await res.text()]).toEqual([200, '0']);
    expect(await task('srs-live-cam1')).toMatchObject({
      state: 'queued',
      spec: { input: 'rtmp://127.0.0.1:1935/live/cam1', mode: 'live', outputPrefix: 'live/live/cam1', ladder: ['360p'] },
    });
    // A second publish of the same stream reuses the task.
    expect((await hook(publish)).status).toBe(200);
    const unpublished = await hook({ ...publish, action: 'on_unpublish' });
    expect([unpublished.status, await unpublished.text()]).toEqual([200, '0']);
    expect(await task('srs-live-cam1')).toMatchObject({ state: 'stopped', stopRequested: true });
    expect((await call('DELETE', '/tasks/srs-live-cam1')).status).toBe(204);
  });
});

describe('workers', () => {
  it('run a VOD task to done with progress', async () => {
    await Promise.all([startWorker('worker-a'), startWorker('worker-b')]);
    const created = await call('POST', '/tasks', {
      id: 'clip',
      input: { kind: 'testsrc', width: 160, height: 90, fps: 25, durationSec: 3, clock: false },
      ladder: TINY,
      segment: { durationSec: 1 },
      encoderPreset: 'ultrafast',
    });
    expect(created.status).toBe(201);
    const done = await waitUntil(
      async () => {
        const record = await task('clip');
        return record.state === 'done' ? record : undefined;
      },
      { timeoutMs: 30_000, what: 'the VOD task to finish' },
    );
    expect(done.workerId).toMatch(/^worker-[ab]$/);
    expect(done.progress?.percent).toBeGreaterThan(90);
    expect(await store.head('vod/clip/master.m3u8')).toBeDefined();
    expect((await call('GET', '/tasks')).body?.tasks).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'clip', state: 'done' })]),
    );
  });

  it('continue a live task on the other worker when its worker dies, and stop it there', async () => {
    const created = await call('POST', '/tasks', {
      id: 'show',
      input: { kind: 'testsrc', width: 160, height: 90, fps: 25, clock: false },
      ladder: TINY,
      segment: { durationSec: 1 },
      dvrWindowSec: 6,
      encoderPreset: 'ultrafast',
    });
    expect(created.status).toBe(201);
    const key = 'live/show/90p/index.m3u8';
    const first = await waitUntil(
      async () => {
        const record = await task('show');
        const p = await playlist(key);
        return record.state === 'running' && p && p.segments.length >= 3 ? { record, p } : undefined;
      },
      { timeoutMs: 30_000, what: 'the live task to publish' },
    );
    const victim = first.record.workerId as string;
    const survivor = victim === 'worker-a' ? 'worker-b' : 'worker-a';
    const lastBefore = first.p.segments.at(-1)?.msn as number;

    const killedAt = Date.now();
    await stopWorker(victim, 'SIGKILL');
    // Its ffmpeg dies with it (parent-death signal): nothing runs in its work dir.
    await waitUntil(() => processesMentioning(join(dir, 'work', victim)).length === 0, {
      timeoutMs: 5_000,
      what: `the ffmpeg of ${victim} to exit`,
    });

    const moved = await waitUntil(
      async () => {
        const record = await task('show');
        return record.workerId === survivor && record.state === 'running' ? record : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 200, what: 'the task to move to the other worker' },
    );
    // lockDuration 3 s + stalledInterval 1 s + pick-up: well under 10 s.
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect(moved.restarts).toBeGreaterThanOrEqual(1);
    expect(moved.lastError).toMatch(new RegExp(`resumed on ${survivor}`));

    const resumed = await waitUntil(
      async () => {
        const p = await playlist(key);
        return p && p.segments.some((s) => s.discontinuity && s.msn > lastBefore) && (p.segments.at(-1)?.msn ?? 0) >= lastBefore + 2
          ? p
          : undefined;
      },
      { timeoutMs: 20_000, what: 'the survivor to continue the playlist' },
    );
    const msns = resumed.segments.map((s) => s.msn);
    expect(msns).toEqual(msns.map((_, i) => (msns[0] as number) + i));

    const stopAt = Date.now();
    expect((await call('POST', '/tasks/show/stop')).status).toBe(202);
    const stopped = await waitUntil(
      async () => {
        const record = await task('show');
        return record.state === 'stopped' ? record : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 100, what: 'the task to stop' },
    );
    expect(Date.now() - stopAt).toBeLessThan(5_000);
    expect(stopped.workerId).toBe(survivor);
    expect((await playlist(key))?.endList).toBe(true);
    expect((await call('DELETE', '/tasks/show')).status).toBe(204);
    expect((await call('GET', '/tasks/show')).status).toBe(404);
  });

  it('shut down cleanly on SIGTERM', async () => {
    for (const id of workers.keys()) await stopWorker(id, 'SIGTERM');
    expect([...workers.values()].every((child) => child.exitCode === 0 || child.signalCode === 'SIGKILL')).toBe(true);
  });
});
