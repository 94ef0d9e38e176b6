import { describe, expect, it } from 'vitest';
import { closeWithin } from './close-within.js';

describe('closeWithin', () => {
  it('says closed when the part closes in time', async () => {
    let closed = false;
    expect(await closeWithin({ close: async () => void (closed = true) }, 1_000, 'a part')).toBe('closed');
    expect(closed).toBe(true);
  });

  it('moves on at the deadline when the close never ends', async () => {
    const started = performance.now();
    expect(await closeWithin(() => new Promise<void>(() => undefined), 100, 'a hung part')).toBe('timed-out');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('says failed, without throwing, when the close throws or rejects', async () => {
    expect(await closeWithin(() => Promise.reject(new Error('boom')), 1_000, 'a rejecting part')).toBe('failed');
    expect(
      await closeWithin(
        {
          close: () => {
            throw new Error('sync boom');
          },
        },
        1_000,
        'a throwing part',
      ),
    ).toBe('failed');
  });

  it('does not let a close that rejects after the deadline go unhandled', async () => {
    const late = closeWithin(() => new Promise<void>((_, reject) => setTimeout(() => reject(new Error('late')), 50)), 10, 'a late part');
    expect(await late).toBe('timed-out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  });
});
