/**
 * Shape of one line of the edge's JSON access log (log_format hlscdn_edge in
 * nginx/edge.conf.template). Bytes and hit ratio come from here: stub_status has neither.
 */

/** One parsed access log line. Keep in step with the template's log_format. */
export interface EdgeAccessLogRecord {
  /** Unix time in seconds with millisecond resolution ($msec). */
  readonly time: number;
  readonly edgeId: string;
  /** Connection serial number ($connection). */
  readonly connection: number;
  readonly connectionRequests: number;
  readonly method: string;
  /** Path and query as the client sent them ($request_uri), tokens included. */
  readonly uri: string;
  readonly status: number;
  readonly bodyBytesSent: number;
  readonly bytesSent: number;
  /** HIT, MISS, EXPIRED, STALE, UPDATING, REVALIDATED, BYPASS, or "" when not proxied. */
  readonly cacheStatus: string;
  readonly requestTime: number;
  /** Seconds per upstream tried, e.g. "0.004" or "0.001, 0.003"; "" when none. */
  readonly upstreamResponseTime: string;
  /** Status per upstream tried, e.g. "502, 200"; "" when none. */
  readonly upstreamStatus: string;
  readonly upstreamAddr: string;
}
