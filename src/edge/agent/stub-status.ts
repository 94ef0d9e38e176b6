/**
 * Parses nginx's stub_status page:
 *   Active connections: 2
 *   server accepts handled requests
 *    10 10 25
 *   Reading: 0 Writing: 1 Waiting: 1
 */
import { err, ok, type Result } from '../../core/result.js';

export interface StubStatus {
  active: number;
  accepts: number;
  handled: number;
  requests: number;
  reading: number;
  writing: number;
  waiting: number;
}

export function parseStubStatus(text: string): Result<StubStatus, string> {
  const active = /Active connections:\s*(\d+)/.exec(text);
  const counters = /\n\s*(\d+)\s+(\d+)\s+(\d+)\s*\n/.exec(text);
  const rw = /Reading:\s*(\d+)\s+Writing:\s*(\d+)\s+Waiting:\s*(\d+)/.exec(text);
  if (!active || !counters || !rw) return err(`not a stub_status page: ${JSON.stringify(text.slice(0, 80))}`);
  const n = (s: string | undefined) => Number(s);
  return ok({
    active: n(active[1]),
    accepts: n(counters[1]),
    handled: n(counters[2]),
    requests: n(counters[3]),
    reading: n(rw[1]),
    writing: n(rw[2]),
    waiting: n(rw[3]),
  });
}
