import { describe, expect, it } from 'vitest';
import {
  blockingQuery,
  isMsnTooFarAhead,
  onlyOwnParams,
  readBlockingReload,
  readMode,
  readPathwayPin,
  readZone,
  withoutOwnParams,
} from './request-params.js';

const params = (query: string) => new URLSearchParams(query);

describe('LL-HLS blocking reload parameters', () => {
  it('reads them and forwards them in a fixed order, so equal requests share one cache key', () => {
    const reload = readBlockingReload(params('_HLS_skip=YES&_HLS_part=2&_HLS_msn=41&token=x'));
    expect(reload).toEqual({ ok: true, value: { msn: 41, part: 2, skip: 'YES' } });
    expect(reload.ok && blockingQuery(reload.value)).toBe('?_HLS_msn=41&_HLS_part=2&_HLS_skip=YES');
    expect(blockingQuery({})).toBe('');
  });

  it('refuses malformed values and _HLS_part without _HLS_msn (rfc8216bis 6.2.5.2)', () => {
    for (const query of ['_HLS_msn=-1', '_HLS_msn=1.5', '_HLS_msn=abc', '_HLS_part=1', '_HLS_msn=1&_HLS_part=x', '_HLS_skip=NO']) {
      expect(readBlockingReload(params(query)).ok, query).toBe(false);
    }
  });

  it('flags a request more than two segments past the last known one, only when the last one is known', () => {
    expect(isMsnTooFarAhead({ msn: 13 }, 10)).toBe(true);
    expect(isMsnTooFarAhead({ msn: 12 }, 10)).toBe(false);
    expect(isMsnTooFarAhead({ msn: 1_000 }, undefined)).toBe(false);
    expect(isMsnTooFarAhead({}, 10)).toBe(false);
  });
});

describe('rewriter parameters', () => {
  it('uses the deployment mode unless the request names one, and refuses unknown modes', () => {
    expect(readMode(params(''), 'absolute')).toEqual({ ok: true, value: { mode: 'absolute', overridden: false } });
    expect(readMode(params('hlscdn_mode=redirect'), 'absolute')).toEqual({ ok: true, value: { mode: 'redirect', overridden: true } });
    expect(readMode(params('hlscdn_mode=proxy'), 'absolute').ok).toBe(false);
  });

  it('accepts a pathway pin only if it looks like an edge id', () => {
    expect(readPathwayPin(params('hlscdn_pathway=edge-a'))).toEqual({ ok: true, value: 'edge-a' });
    expect(readPathwayPin(params(''))).toEqual({ ok: true, value: undefined });
    expect(readPathwayPin(params('hlscdn_pathway=BALANCED')).ok).toBe(false);
  });

  it('reads a zone header, ignoring garbage', () => {
    expect([readZone(' eu-west '), readZone(undefined), readZone('a b'), readZone('x'.repeat(65))]).toEqual([
      'eu-west',
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('strips or keeps only its own parameters, leaving the others byte for byte', () => {
    expect(withoutOwnParams('?hlscdn_mode=redirect&tok=a%2Fb+c&x')).toBe('?tok=a%2Fb+c&x');
    expect(withoutOwnParams('?hlscdn_mode=redirect')).toBe('');
    expect(withoutOwnParams('?tok=1')).toBe('?tok=1');
    expect(onlyOwnParams('?_HLS_pathway=a&hlscdn_mode=steering')).toBe('?hlscdn_mode=steering');
    expect(onlyOwnParams('?_HLS_pathway=a')).toBe('');
  });
});
