import { defineConfig } from 'vitest/config';

// Integration tests start real redis-server, nginx and ffmpeg processes; on a
// 2-core CI machine two test files at a time keeps them from starving each other.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
