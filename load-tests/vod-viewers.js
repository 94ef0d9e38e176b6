// @ts-check
/**
 * VOD viewers: VUS concurrent viewers (ramping-vus), each playing the stream
 * from its start for at most SESSION_SEC, fetching ahead until MAX_BUFFER_SEC
 * of media is buffered and then at playback pace, as players do.
 *
 *   k6 run -e BASE_URL=http://127.0.0.1:8090 -e STREAM=/vod/<id>/master.m3u8 -e VUS=50 -e DURATION=5m load-tests/vod-viewers.js
 */
import { DURATION, RAMP_DOWN, RAMP_UP, sharedThresholds, VUS, viewerSettings } from './lib/config.js';
import { watchVod } from './lib/player.js';

const thresholds = sharedThresholds();
// A VOD playlist never advances: staleness is not sampled.
delete thresholds.playlist_staleness;

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    vod: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: RAMP_UP, target: VUS },
        { duration: DURATION, target: VUS },
        { duration: RAMP_DOWN, target: 0 },
      ],
      gracefulRampDown: '5s',
    },
  },
  thresholds,
};

const settings = viewerSettings();

export default function () {
  watchVod(settings);
}
