/**
 * CORS for every answer, errors included (what nginx's `add_header ... always`
 * does at the edges): the headers are set with `c.header()` before the handler
 * runs, so every response built through the context carries them, and
 * preflights are answered here. Hono's cors() middleware touches `c.res`
 * first, which makes Hono rebuild each response around a stream body and
 * costs a large share of the playlist hot path.
 */
import type { MiddlewareHandler } from 'hono';

export interface CorsHeadersOptions {
  /** Access-Control-Allow-Origin. */
  origin: string;
  /** Response headers a player's script may read. */
  exposeHeaders: readonly string[];
  /** How long browsers may cache a preflight, seconds. @defaultValue 86_400 */
  maxAgeSec?: number;
}

/** What CORS adds to Vary: a fixed origin must not be served from a cache to another origin. */
export function corsVary(options: CorsHeadersOptions): string | undefined {
  return options.origin === '*' ? undefined : 'Origin';
}

/** The CORS headers of an ordinary (non-preflight) answer, lower-case names. */
export function simpleCorsHeaders(options: CorsHeadersOptions): Record<string, string> {
  return { 'access-control-allow-origin': options.origin, 'access-control-expose-headers': options.exposeHeaders.join(', ') };
}

export function corsHeaders(options: CorsHeadersOptions): MiddlewareHandler {
  const simple = Object.entries(simpleCorsHeaders(options));
  const maxAge = String(options.maxAgeSec ?? 86_400);
  const vary = corsVary(options);
  return async function setCorsHeaders(c, next) {
    if (vary !== undefined) c.header('Vary', vary, { append: true });
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Allow-Origin', options.origin);
      c.header('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
      const requested = c.req.header('access-control-request-headers');
      if (requested) c.header('Access-Control-Allow-Headers', requested);
      c.header('Access-Control-Max-Age', maxAge);
      return c.body(null, 204);
    }
    for (const [name, value] of simple) c.header(name, value);
    await next();
  };
}
