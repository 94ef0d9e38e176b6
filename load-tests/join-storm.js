// @ts-check
/**
 * A join storm: RATE new viewers per second for DURATION (constant-arrival-rate,
 * so arrivals keep coming even when the service slows down), each watching the
 * live stream for SESSION_SEC (default 20 s here). What a popular stream's
 * start looks like: many cold joins of the same few segments at once.
 *
 *   k6 run -e BASE_URL=http://127.0.0.1:8090 -e STREAM=/live/master.m3u8 -e RATE=20 -e DURATION=1m load-tests/join-storm.js
 */
import { DURATION, sharedThresholds, viewerSettings } from './lib/config.js';
import { watchLive } from './lib/player.js';

const rate = Number(__ENV.RATE || 10);
const sessionSec = Number(__ENV.SESSION_SEC || 20);
// Viewers in flight at once: rate x session length, plus slack for slow joins.
const inFlight = Math.ceil(rate * (sessionSec + 5));

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    joins: {
      executor: 'constant-arrival-rate',
      rate,
      timeUnit: '1s',
      duration: DURATION,
      preAllocatedVUs: inFlight,
      maxVUs: Number(__ENV.MAX_VUS || inFlight * 2),
    },
  },
  thresholds: {
    ...sharedThresholds(),
    startup_time: [`p(95)<${Number(__ENV.STARTUP_P95_MS || 3000)}`],
  },
};

const settings = { ...viewerSettings(), sessionSec };

export default function () {
  watchLive(settings);
}
