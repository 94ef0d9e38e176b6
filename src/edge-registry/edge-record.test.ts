import { describe, expect, it } from 'vitest';
import { MAX_RECORD_BYTES, parseEdgeRecord, validateEdgeRecord } from './edge-record.js';
import { parseRegistryEvent } from './registry-events.js';
import { edgeRecord } from './test-support/records.js';

describe('parseEdgeRecord', () => {
  it('accepts a complete record and returns it field for field', () => {
    const record = edgeRecord('edge-1', { zone: 'eu-west-1a' });
    const parsed = parseEdgeRecord(JSON.stringify(record));
    expect(parsed).toEqual({ ok: true, value: record });
  });

  it('drops unknown fields, so a newer agent of the same version still reads', () => {
    const parsed = parseEdgeRecord(JSON.stringify({ ...edgeRecord('edge-1'), futureField: 1 }));
    expect(parsed.ok && 'futureField' in parsed.value).toBe(false);
    expect(parsed.ok).toBe(true);
  });

  it.each([
    ['an upper-case id', { id: 'Edge-1' }, 'id'],
    ['an id starting with a dash', { id: '-edge' }, 'id'],
    ['an id of 64 characters', { id: 'a'.repeat(64) }, 'id'],
    ['an ftp url', { url: 'ftp://edge.example.net/' }, 'url'],
    ['a url with credentials', { url: 'https://user:pw@edge.example.net/' }, 'url'],
    ['a url with a query', { url: 'https://edge.example.net/?token=1' }, 'url'],
    ['a relative url', { url: '/edge' }, 'url'],
    ['a zero weight', { capacity: { weight: 0, egressBytesPerSec: 1, connections: 1 } }, 'capacity.weight'],
    ['a negative connection capacity', { capacity: { weight: 1, egressBytesPerSec: 1, connections: -5 } }, 'capacity.connections'],
    ['an unknown state', { state: 'stopping' }, 'state'],
    ['a hit ratio above 1', { load: { ...edgeRecord('x').load, cacheHitRatio: 1.2 } }, 'load.cacheHitRatio'],
    ['a fractional error count', { load: { ...edgeRecord('x').load, upstreamErrors: 1.5 } }, 'load.upstreamErrors'],
    ['a heartbeat in seconds as a string', { heartbeatAt: '1700000000' }, 'heartbeatAt'],
    ['another schema version', { version: 2 }, 'version'],
    ['a zone with a space', { zone: 'eu west' }, 'zone'],
  ] as const)('refuses %s, naming the field', (_name, override, field) => {
    const parsed = parseEdgeRecord(JSON.stringify({ ...edgeRecord('edge-1'), ...override }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.error.code).toBe('invalid-record');
      expect(parsed.error.message).toContain(`${field}:`);
    }
  });

  it('refuses a record without its load', () => {
    const { load: _load, ...rest } = edgeRecord('edge-1');
    const parsed = parseEdgeRecord(JSON.stringify(rest));
    expect(!parsed.ok && parsed.error.message).toContain('load');
  });

  it('refuses text that is not JSON, without throwing', () => {
    expect(parseEdgeRecord('{"id": "edge-1",')).toMatchObject({ ok: false, error: { code: 'invalid-json' } });
    expect(parseEdgeRecord('')).toMatchObject({ ok: false, error: { code: 'invalid-json' } });
    expect(parseEdgeRecord('null')).toMatchObject({ ok: false, error: { code: 'invalid-record' } });
  });

  it('refuses oversize input before parsing it, counting UTF-8 bytes', () => {
    const padded = JSON.stringify({ ...edgeRecord('edge-1'), padding: 'x'.repeat(MAX_RECORD_BYTES) });
    expect(parseEdgeRecord(padded)).toMatchObject({ ok: false, error: { code: 'too-large' } });
    // Fewer characters than the limit, more bytes: 3 bytes per character.
    const wide = JSON.stringify({ ...edgeRecord('edge-1'), padding: '\u20ac'.repeat(MAX_RECORD_BYTES / 2) });
    expect(wide.length).toBeLessThan(MAX_RECORD_BYTES);
    expect(parseEdgeRecord(wide)).toMatchObject({ ok: false, error: { code: 'too-large' } });
  });

  it('validates values built in code the same way', () => {
    expect(validateEdgeRecord(edgeRecord('edge-1')).ok).toBe(true);
    expect(validateEdgeRecord(undefined)).toMatchObject({ ok: false, error: { code: 'invalid-record' } });
  });
});

describe('parseRegistryEvent', () => {
  it('accepts the four event types', () => {
    const record = edgeRecord('edge-1');
    for (const event of [
      { v: 1, type: 'join', record },
      { v: 1, type: 'heartbeat', record },
      { v: 1, type: 'leave', id: 'edge-1', at: 5 },
      { v: 1, type: 'drain', id: 'edge-1', at: 5 },
    ]) {
      expect(parseRegistryEvent(JSON.stringify(event))).toEqual({ ok: true, value: event });
    }
  });

  it('refuses unknown types, bad records inside events, bad ids and oversize messages', () => {
    expect(parseRegistryEvent(JSON.stringify({ v: 1, type: 'explode', id: 'edge-1', at: 1 })).ok).toBe(false);
    expect(parseRegistryEvent(JSON.stringify({ v: 1, type: 'heartbeat', record: { ...edgeRecord('edge-1'), state: 'x' } })).ok).toBe(false);
    expect(parseRegistryEvent(JSON.stringify({ v: 1, type: 'leave', id: 'EDGE*', at: 1 })).ok).toBe(false);
    expect(parseRegistryEvent(JSON.stringify({ v: 2, type: 'leave', id: 'edge-1', at: 1 })).ok).toBe(false);
    expect(parseRegistryEvent('x'.repeat(100_000))).toMatchObject({ ok: false, error: { code: 'too-large' } });
  });
});
