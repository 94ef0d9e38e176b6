import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Tests that measure wall-clock latency of a live stream: the encoder must keep up
 * with real time, which it cannot while another test file loads both cores. They
 * run after everything else, one at a time (sequence.groupOrder).
 */
const ALONE = ['test/integration/low-latency-browser.test.ts'];

// Integration tests start real redis-server, nginx and ffmpeg processes; on a
// 2-core CI machine two test files at a time keeps them from starving each other.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'suite', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...ALONE] },
      },
      { extends: true, test: { name: 'alone', include: ALONE, sequence: { groupOrder: 1 } } },
    ],
  },
});
