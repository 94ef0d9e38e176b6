import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CounterTallies } from './counter-tallies.js';

describe('CounterTallies', () => {
  const setup = () => {
    const registry = new Registry();
    const tallies = new CounterTallies<'kind' | 'outcome'>();
    const counter = new Counter({
      name: 'test_requests_total',
      help: 'test',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
      collect() {
        tallies.flush(this);
      },
    });
    return { registry, tallies, counter };
  };
  const valueOf = async (counter: Counter<'kind' | 'outcome'>, labels: Record<string, string>) =>
    (await counter.get()).values.find((v) =>
      Object.entries(labels).every(([k, value]) => (v.labels as Record<string, string | number | undefined>)[k] === value),
    )?.value;

  it('shows counted increments to every reader, once, as direct increments would', async () => {
    const { registry, tallies, counter } = setup();
    const ok = tallies.incrementFor({ kind: 'playlist', outcome: 'ok' });
    for (let i = 0; i < 5; i++) ok();
    counter.inc({ kind: 'playlist', outcome: 'ok' }, 2);
    expect(await valueOf(counter, { kind: 'playlist', outcome: 'ok' })).toBe(7);
    // Flushed once: a second read does not add the same counts again.
    expect(await valueOf(counter, { kind: 'playlist', outcome: 'ok' })).toBe(7);
    ok();
    expect(await registry.metrics()).toContain('test_requests_total{kind="playlist",outcome="ok"} 8');
  });

  it('shares one tally between increments for the same labels in any order, and keeps other labels apart', async () => {
    const { tallies, counter } = setup();
    const a = tallies.incrementFor({ kind: 'playlist', outcome: 'ok' });
    const b = tallies.incrementFor({ outcome: 'ok', kind: 'playlist' });
    const other = tallies.incrementFor({ kind: 'playlist', outcome: 'fallback' });
    a();
    b();
    other();
    expect(await valueOf(counter, { kind: 'playlist', outcome: 'ok' })).toBe(2);
    expect(await valueOf(counter, { kind: 'playlist', outcome: 'fallback' })).toBe(1);
  });
});
