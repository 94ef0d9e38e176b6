/** `hlscdn edges list|drain`: the fleet as the registry sees it, and asking one edge to drain. */
import { Command } from 'commander';
import { EdgeRegistryView, EdgeRegistryWriter, describeEdgeHealth, type EdgeHealth, type EdgeRecord } from '../../edge-registry/index.js';
import { redisOptionsFromConfig } from '../../core/redis/index.js';
import { cliContext } from '../cli-context.js';
import { requireRedis } from '../require-redis.js';
import { exitCodeFor, reportFatal } from '../service-runner.js';

export function edgesCommand(): Command {
  const edges = new Command('edges').description('inspect and manage the edge fleet in the Redis registry (needs REDIS_URL)');
  edges
    .command('list')
    .description('print the live edges: id, URL, zone, state, health, probe round trip, failing for, load, hit ratio, heartbeat age')
    .option('--json', 'print the records as JSON, each with its health')
    .action(async (options: { json?: boolean }, command: Command) => {
      await oneShot(async () => {
        const { config, logger } = cliContext(command, 'cli');
        const redis = requireRedis(config.redis);
        const view = new EdgeRegistryView({
          redis: redisOptionsFromConfig(redis),
          keyPrefix: redis.keyPrefix,
          ttlMs: config.edge.ttlMs,
          logger,
        });
        try {
          await view.start();
          const { edges: records } = view.snapshot();
          const now = Date.now();
          console.log(options.json ? JSON.stringify(withHealth(records, now), null, 2) : formatEdgeTable(records, now));
        } finally {
          await view.close();
        }
      });
    });
  edges
    .command('drain <id>')
    .description('ask an edge to drain: the rewriter stops sending it new objects, it waits for its viewers, stops nginx and leaves')
    .action(async (id: string, _options, command: Command) => {
      await oneShot(async () => {
        const { config, logger } = cliContext(command, 'cli');
        const redis = requireRedis(config.redis);
        const writer = new EdgeRegistryWriter({
          redis: redisOptionsFromConfig(redis),
          keyPrefix: redis.keyPrefix,
          ttlMs: config.edge.ttlMs,
          logger,
        });
        try {
          const { alreadyRequested } = await writer.requestDrain(id);
          console.log(alreadyRequested ? `edge ${id} was already draining` : `edge ${id} asked to drain`);
        } finally {
          await writer.close();
        }
      });
    });
  return edges;
}

async function oneShot(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    reportFatal(error);
    process.exitCode = exitCodeFor(error);
  }
}

/** The records as `--json` prints them: each with its `health` (verdict, label, reason, probe round trip, failing since and for). */
export function withHealth(records: readonly EdgeRecord[], now: number): Array<EdgeRecord & { health: EdgeHealth }> {
  return records.map((record) => ({ ...record, health: describeEdgeHealth(record, now) }));
}

export function formatEdgeTable(records: readonly EdgeRecord[], now: number): string {
  if (records.length === 0) return 'no live edges';
  const header = ['ID', 'URL', 'ZONE', 'STATE', 'HEALTH', 'RTT', 'FAILING', 'CONNS', 'REQ/S', 'EGRESS', 'HIT%', 'ERRORS', 'AGE', 'DETAIL'];
  const rows = records.map((e) => {
    const health = describeEdgeHealth(e, now);
    return [
      e.id,
      e.url,
      e.zone ?? '-',
      e.state,
      health.verdict,
      health.rttMs === null ? '-' : `${health.rttMs.toFixed(1)}ms`,
      health.failingForMs === null ? '-' : `${(health.failingForMs / 1000).toFixed(1)}s`,
      String(e.load.activeConnections),
      e.load.requestsPerSec.toFixed(1),
      formatRate(e.load.egressBytesPerSec),
      (e.load.cacheHitRatio * 100).toFixed(0),
      String(e.load.upstreamErrors),
      `${((now - e.heartbeatAt) / 1000).toFixed(1)}s`,
      // Free text, so last: the columns before it stay split on whitespace.
      health.reason ?? '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [header, ...rows]
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function formatRate(bytesPerSec: number): string {
  const bits = bytesPerSec * 8;
  if (bits >= 1e9) return `${(bits / 1e9).toFixed(1)}Gb/s`;
  if (bits >= 1e6) return `${(bits / 1e6).toFixed(1)}Mb/s`;
  return `${(bits / 1e3).toFixed(0)}kb/s`;
}
