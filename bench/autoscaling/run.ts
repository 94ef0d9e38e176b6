/**
 * Autoscaling reaction: the time from viewer load crossing the scaling target
 * to a new edge serving, with the autoscaler service and its local actuator
 * (`hlscdn edge` children), against the baseline of the same actuator asked
 * directly to add an edge (what an operator's script would do, knowing
 * already that one is needed). The difference is what detecting and deciding cost.
 *
 *   node --import tsx bench/autoscaling/run.ts [--trials 5] [--no-write]
 *
 * As in test/integration/autoscaler-scaling.test.ts, edges declare a tiny
 * capacity (4 connections, target 0.5), so six held-open viewer connections
 * put one edge at 1.5x its capacity. The loop interval and heartbeat are the
 * defaults (5 s, 1 s): these are the figures an installation gets out of the box.
 */
import { Agent, get, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { autoscalerSchema, edgeEnvironment, LocalActuator, startAutoscalerService } from '../../src/autoscaler/index.js';
import { startCdnFixture, type CdnFixture } from '../../test/support/cdn-fixture.js';
import { configSchema } from '../../src/config/index.js';
import { silentLogger } from '../../src/core/logger.js';
import { waitUntil } from '../../src/core/process/index.js';
import { machineInfo } from '../support/machine.js';
import { table, type BenchResult } from '../support/report.js';
import { median } from '../support/stats.js';
import { isMain, report } from '../support/standalone.js';

export interface AutoscalingOptions {
  /** Trials of each (autoscaler, bare actuator), alternating. @defaultValue 5 */
  trials?: number;
}

interface AutoscaledTrial {
  /** Load on to the first heartbeat showing it, the decision to add, the add's start, the new edge serving; ms after the load. */
  seenMs: number;
  decidedMs: number;
  launchMs: number;
  servingMs: number;
}

const defaults = configSchema.parse({});
const CAPACITY_CONNECTIONS = 4;
const VIEWERS = 6;

/** One GET on `agent`, body read to the end: the connection stays open as a viewer's keep-alive connection. */
function fetchOn(url: string, agent: Agent | false): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent, timeout: 10_000 }, (res: IncomingMessage) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** Until the registry lists `id` as active and it answers a segment; resolves with Date.now() then. */
async function serving(cdn: CdnFixture, id: string): Promise<number> {
  const record = await waitUntil(() => cdn.view.snapshot().edges.find((e) => e.id === id && e.state === 'active'), {
    timeoutMs: 60_000,
    intervalMs: 20,
    what: `${id} to register`,
  });
  await waitUntil(async () => (await fetchOn(`${record.url}${cdn.segmentPath(0)}`, false)) === 200, {
    timeoutMs: 10_000,
    intervalMs: 20,
    what: `${id} to serve`,
  });
  return Date.now();
}

async function bareTrial(cdn: CdnFixture, n: number): Promise<number> {
  const actuator = new LocalActuator({
    origins: [cdn.originUrl],
    dataDir: join(cdn.dir, `bare-${n}`),
    env: edgeEnvironment(
      cdn.edgeEnv({ HLSCDN_EDGE_CAPACITY_CONNECTIONS: String(CAPACITY_CONNECTIONS) }),
      { ...defaults.redis, url: cdn.redis.url },
      defaults.edge.ttlMs,
    ),
    idPrefix: `bare${n}`,
    stopTimeoutMs: 15_000,
  });
  try {
    const started = Date.now();
    const [id] = await actuator.add(1);
    return (await serving(cdn, id!)) - started;
  } finally {
    await actuator.close();
    await waitUntil(() => cdn.view.snapshot().edges.length === 0, { timeoutMs: 20_000, what: 'the bare edge to leave' });
  }
}

async function autoscaledTrial(cdn: CdnFixture, n: number): Promise<AutoscaledTrial> {
  const service = await startAutoscalerService({
    autoscaler: autoscalerSchema.parse({
      port: 0,
      drainTimeoutSec: 5,
      policy: { metric: 'connections', target: 0.5, minEdges: 1, maxEdges: 2, scaleUp: { abs: 2, pct: 0 } },
      local: { origins: [cdn.originUrl], dataDir: join(cdn.dir, `scaled-${n}`), idPrefix: `scaled${n}` },
    }),
    redis: { ...defaults.redis, url: cdn.redis.url },
    edgeTtlMs: defaults.edge.ttlMs,
    logger: silentLogger(),
    cwd: cdn.dir,
    env: cdn.edgeEnv({ HLSCDN_EDGE_CAPACITY_CONNECTIONS: String(CAPACITY_CONNECTIONS) }),
  });
  const viewers = new Agent({ keepAlive: true, maxSockets: VIEWERS });
  try {
    const first = await waitUntil(() => cdn.view.snapshot().edges.find((e) => e.state === 'active'), {
      timeoutMs: 60_000,
      what: 'the first edge (minEdges 1)',
    });
    // Quiet before the load: the first decisions (reaching minEdges) are done.
    await waitUntil(
      () => service.autoscaler.status().actions.every((a) => a.outcome === 'succeeded') && service.autoscaler.status().actions.length === 1,
      { timeoutMs: 30_000, what: 'the first add to finish' },
    );
    const statuses = await Promise.all(Array.from({ length: VIEWERS }, (_, i) => fetchOn(`${first.url}${cdn.segmentPath(i)}`, viewers)));
    if (statuses.some((s) => s !== 200)) throw new Error(`viewer requests failed: ${statuses.join(', ')}`);
    const loadAt = Date.now();
    const seenAt = await waitUntil(
      () => (cdn.view.snapshot().edges.find((e) => e.id === first.id)?.load.activeConnections ?? 0) >= VIEWERS && Date.now(),
      { timeoutMs: 10_000, intervalMs: 10, what: 'a heartbeat showing the load' },
    );
    // The local actuator numbers its edges: the one added for the load is the second.
    const second = `scaled${n}-2`;
    const servingAt = await serving(cdn, second);
    // The loop records an add when the actuator's add() returns, which can be after the edge already serves.
    const add = await waitUntil(() => service.autoscaler.status().actions.find((a) => a.kind === 'add' && a.ids.includes(second)), {
      timeoutMs: 30_000,
      what: 'the add to be recorded',
    });
    const decision = service.autoscaler.status().decisions.find((d) => d.action === 'scale-up' && d.at >= loadAt - 10);
    return {
      seenMs: seenAt - loadAt,
      decidedMs: (decision?.at ?? Number.NaN) - loadAt,
      launchMs: add.durationMs,
      servingMs: servingAt - loadAt,
    };
  } finally {
    viewers.destroy();
    await service.close();
    await waitUntil(() => cdn.view.snapshot().edges.length === 0, { timeoutMs: 30_000, what: 'the autoscaled edges to leave' });
  }
}

export async function run(options: AutoscalingOptions = {}): Promise<BenchResult> {
  const trials = options.trials ?? 5;
  const startedAt = new Date();
  const machine = machineInfo();
  const bare: number[] = [];
  const scaled: AutoscaledTrial[] = [];
  const cdn = await startCdnFixture('bench-autoscaling');
  try {
    for (let n = 1; n <= trials; n++) {
      bare.push(await bareTrial(cdn, n));
      scaled.push(await autoscaledTrial(cdn, n));
      const s = scaled.at(-1)!;
      console.log(
        `autoscaling trial ${n}: bare add to serving ${bare.at(-1)} ms; load to serving ${s.servingMs} ms (seen ${s.seenMs}, decided ${s.decidedMs}, launch ${s.launchMs})`,
      );
    }
  } finally {
    await cdn.close();
  }
  const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v)}` : 'n/a');
  const ratio = median(scaled.map((s) => s.servingMs)) / median(bare);
  return {
    id: 'autoscaling',
    title: 'Autoscaling',
    about: `What it measures: the time from viewer load crossing the scaling target to a new edge serving (registered in the registry as active and answering a segment), with the autoscaler service and its local actuator starting \`hlscdn edge\` children, against the baseline of the same actuator asked directly to add one edge. Edges declare a capacity of ${CAPACITY_CONNECTIONS} connections with a target of 0.5, as in test/integration/autoscaler-scaling.test.ts, so ${VIEWERS} held-open viewer connections put the one edge at 1.5x capacity. Default timing: the loop decides every 5 s and edges heartbeat every 1 s, so detection alone takes up to about 6 s. Trials alternate bare and autoscaled; medians are compared. The edge processes run from the TypeScript sources through tsx, which makes an edge's start slower than the compiled CLI's.`,
    command: `node --import tsx bench/autoscaling/run.ts --trials ${trials}`,
    results: [
      ...table(
        [
          'trial',
          'bare: add to serving',
          'autoscaled: load to serving',
          'load seen in a heartbeat',
          'scale-up decided',
          'edge launch took',
        ],
        scaled.map((s, i) => [
          i + 1,
          `${ms(bare[i]!)} ms`,
          `${ms(s.servingMs)} ms`,
          `+${ms(s.seenMs)} ms`,
          `+${ms(s.decidedMs)} ms`,
          `${ms(s.launchMs)} ms`,
        ]),
        [false, true, true, true, true, true],
      ),
      '',
      `Medians: bare ${ms(median(bare))} ms, autoscaled ${ms(median(scaled.map((s) => s.servingMs)))} ms (decision at +${ms(median(scaled.map((s) => s.decidedMs)))} ms).`,
    ],
    ratios: [{ label: 'load-to-serving with the autoscaler / bare edge start (medians)', value: ratio }],
    notes: [
      `The autoscaled time is detection (the next heartbeat, then the next tick of the loop) plus the same edge start as the baseline. With the default 5 s loop interval the decision comes on average 2.5 s after the heartbeat; \`autoscaler.intervalMs\` and \`edge.heartbeatMs\` trade that against Redis reads and decisions per second.`,
    ],
    startedAt,
    durationMs: Date.now() - startedAt.getTime(),
    machine,
  };
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({ options: { trials: { type: 'string', default: '5' }, 'no-write': { type: 'boolean', default: false } } });
  const result = await run({ trials: Number(values.trials) });
  await report(result, { write: !values['no-write'] });
}
