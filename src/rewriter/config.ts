/**
 * The `rewriter` section of the configuration: where playlists come from, how
 * segment URLs are written (mode), how edges are balanced, when to fall back to
 * the origin, and how long playlists are cached. The signing secret is not here:
 * the service receives the shared `signing` section (the edges verify with it).
 */
import { z } from 'zod';
import { portSchema } from '../core/config/index.js';
import { DEFAULT_MAX_BYTES } from './playlist/index.js';

/** How viewers reach media objects: see docs/rewriter.md "Modes". */
export const REWRITER_MODES = ['absolute', 'redirect', 'steering'] as const;
export type RewriterMode = (typeof REWRITER_MODES)[number];

const httpUrl = z.url({ protocol: /^https?$/ });
// An HTTP field name (RFC 9110 5.1 token), lower-cased as Node delivers headers.
const headerName = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'an HTTP header name')
  .transform((name) => name.toLowerCase());

export const rewriterSchema = z.object({
  /** Viewer-facing address. Loopback unless asked. */
  host: z.string().min(1).default('127.0.0.1'),
  port: portSchema.default(8090),
  /**
   * Processes serving the port (node:cluster), like nginx's worker_processes: a number,
   * or `auto` for one per core. Each worker keeps its own caches and registry view.
   */
  /**
   * Read simple GET/HEAD requests straight from the connections and write held playlist
   * answers in one write (core/http/raw-front.ts); off = every request through Node's
   * HTTP server. Any request that is not simple goes to Node's server either way.
   */
  rawHttpFront: z.boolean().default(true),
  workers: z.union([z.literal('auto'), z.coerce.number().int().min(1).max(64)]).default(1),
  /** Where playlists are fetched (the origin server, or any HTTP origin); its path, if any, is the prefix of every object. */
  originUrl: httpUrl.default('http://127.0.0.1:8080'),
  /** The origin as viewers reach it, used in fallback URLs. @defaultValue originUrl */
  publicOriginUrl: httpUrl.optional(),
  /** Where viewers go when no edge can take them (a backup CDN); wins over publicOriginUrl. */
  fallbackBaseUrl: httpUrl.optional(),
  /** Deployment default; a request may override it with `?hlscdn_mode=`. */
  mode: z.enum(REWRITER_MODES).default('absolute'),
  /**
   * Bounded-load factor c of edge selection: no edge above c x its weighted share of the
   * fleet's requests/s (HAProxy hash-balance-factor 125 = 1.25; Vimeo runs 1.25-2).
   */
  balanceFactor: z.number().min(1).default(1.25),
  /**
   * Requests/s below which an edge never counts as overloaded, so a quiet fleet keeps
   * every object on its first-choice edge (cache affinity) instead of scattering on noise.
   */
  quietEdgeRequestsPerSec: z.number().min(0).default(20),
  /** A registry snapshot older than this (Redis unreachable) is not trusted: viewers go to the fallback. */
  maxSnapshotAgeMs: z.int().min(0).default(10_000),
  /** Longest wait for the origin's answer, LL-HLS blocking reloads included (they may hold ~3 target durations). */
  originTimeoutMs: z.int().min(100).default(10_000),
  /** Larger playlists are refused (502): a rewrite is linear in size and runs on the event loop. */
  maxPlaylistBytes: z.int().min(1024).default(DEFAULT_MAX_BYTES),
  /**
   * Steering manifest TTL, seconds: how often players ask again (players default to
   * 300). Short, because that is how soon a player leaves a pathway whose edge
   * failed its probes; each viewer asks 1 / TTL times a second.
   */
  steeringTtlSec: z.int().min(1).max(3600).default(3),
  /**
   * Absolute mode: list every variant of a master twice, on a PRIMARY and a BACKUP
   * pathway whose segments go to each object's second-choice edge, so players
   * fail over to another edge by themselves (docs/rewriter.md "Players fail over").
   */
  backupPathways: z.boolean().default(true),
  /** Request header naming the viewer's zone (set by a geo-aware front proxy); edges of that zone are preferred. */
  zoneHeader: headerName.default('x-hlscdn-zone'),
  /**
   * Signature expiries are rounded up to a multiple of this, so every viewer in the same
   * window gets the same URLs (one rewrite, shared). Clamped to signing.ttlSec.
   */
  signatureBucketSec: z.int().min(1).default(60),
  /** Access-Control-Allow-Origin on every response, errors included. */
  corsOrigin: z.string().min(1).default('*'),
  /**
   * Outside-in probes of the edges (src/edge-health): one rewriter at a time (a
   * Redis lease) asks every edge's health path at its public URL; a hung or
   * dead edge leaves every rewriter's answers within about
   * timeoutMs + (fall - 1) x intervalMs. Probe load per edge: 1000 / intervalMs
   * requests a second, however many rewriters run.
   */
  probe: z
    .object({
      enabled: z.boolean().default(true),
      intervalMs: z.int().min(50).max(60_000).default(250),
      /** Deadline of one probe: above the edges' normal time to first byte from here. */
      timeoutMs: z.int().min(20).max(60_000).default(400),
      /** Failed probes in a row that take an edge out. */
      fall: z.int().min(1).max(20).default(2),
      /** Good probes in a row that bring it back. */
      rise: z.int().min(1).max(20).default(2),
    })
    .prefault({}),
  cache: z
    .object({
      /** Master playlists: how long the rewriter keeps one, and viewers' max-age. */
      masterMaxAgeSec: z.int().min(0).max(3600).default(5),
      /** Media playlists with EXT-X-ENDLIST (VOD, finished events): same. Live ones use half a target duration. */
      vodMaxAgeSec: z.int().min(0).max(86_400).default(30),
      /** Entries of each in-memory cache (fetched playlists, rewritten texts). */
      maxEntries: z.int().min(16).default(10_000),
      /** Playlist text each of those caches may hold, MiB (a 2-hour VOD playlist is about 150 KiB). */
      maxMiB: z.number().min(1).default(64),
    })
    .prefault({}),
});

export type RewriterConfig = z.infer<typeof rewriterSchema>;
/** The section as written in a config file or passed in code, before defaults. */
export type RewriterConfigInput = z.input<typeof rewriterSchema>;

/** What the rewriter needs of the shared `signing` section. */
export interface RewriterSigning {
  /** Unset: URLs are not signed. */
  secret?: string;
  /** Lifetime of a signature, seconds. */
  ttlSec: number;
}
