import { describe, expect, it } from 'vitest';
import { nextEdgeNames, parseEdgeNamesFile, renderEdgeNamesFile } from './edge-names.js';

describe('nextEdgeNames', () => {
  it('takes the smallest free numbers, reusing freed ones', () => {
    expect(nextEdgeNames([], 2, 'edge')).toEqual(['edge-1', 'edge-2']);
    expect(nextEdgeNames(['edge-1', 'edge-3', 'other-2'], 2, 'edge')).toEqual(['edge-2', 'edge-4']);
    expect(nextEdgeNames(['edge-1'], 0, 'edge')).toEqual([]);
  });
});

describe('the edge names var file', () => {
  it('round-trips, and a missing or empty file is an empty fleet', () => {
    expect(parseEdgeNamesFile(renderEdgeNamesFile(['edge-1', 'edge-2']), 'f')).toEqual({ ok: true, value: ['edge-1', 'edge-2'] });
    expect(parseEdgeNamesFile(undefined, 'f')).toEqual({ ok: true, value: [] });
    expect(parseEdgeNamesFile('  \n', 'f')).toEqual({ ok: true, value: [] });
  });

  it('refuses what is not a list of registry ids without duplicates, naming the file', () => {
    for (const text of ['{', '{"edge_names": "edge-1"}', '{"edge_names": ["Edge 1"]}', '{"edge_names": ["edge-1", "edge-1"]}']) {
      const parsed = parseEdgeNamesFile(text, '/w/edges.auto.tfvars.json');
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error.message).toContain('/w/edges.auto.tfvars.json');
    }
  });
});
