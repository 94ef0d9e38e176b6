// @ts-check
/**
 * Live viewers ramping up to a plateau: VUS concurrent viewers (ramping-vus),
 * each watching the live stream for SESSION_SEC then leaving and joining again
 * as a new viewer, so joins and steady-state reloads are both in the mix.
 *
 *   k6 run -e BASE_URL=http://127.0.0.1:8090 -e STREAM=/live/master.m3u8 -e VUS=50 -e DURATION=5m load-tests/live-viewers.js
 */
import { DURATION, RAMP_DOWN, RAMP_UP, sharedThresholds, VUS, viewerSettings } from './lib/config.js';
import { watchLive } from './lib/player.js';

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    live: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: RAMP_UP, target: VUS },
        { duration: DURATION, target: VUS },
        { duration: RAMP_DOWN, target: 0 },
      ],
      // A viewer mid-session when its VU is retired may finish its current segment.
      gracefulRampDown: '5s',
    },
  },
  thresholds: sharedThresholds(),
};

const settings = viewerSettings();

export default function () {
  watchLive(settings);
}
