import { describe, expect, it } from 'vitest';
import { isHlscdnError } from '../core/errors.js';
import { localFleetBounds } from './fleet-bounds.js';

describe('localFleetBounds', () => {
  it('is 1 to 4 edges by default', () => {
    expect(localFleetBounds({})).toEqual({ minEdges: 1, maxEdges: 4 });
  });

  it('raises the default maximum to the edges started at once, so none is drained at the first tick', () => {
    expect(localFleetBounds({ edges: 6 })).toEqual({ minEdges: 1, maxEdges: 6 });
    expect(localFleetBounds({ edges: 2, fleet: { minEdges: 5 } })).toEqual({ minEdges: 5, maxEdges: 5 });
  });

  it('keeps explicit bounds', () => {
    expect(localFleetBounds({ edges: 3, fleet: { minEdges: 3, maxEdges: 4 } })).toEqual({ minEdges: 3, maxEdges: 4 });
  });

  it('refuses a maximum below the edges started at once or below the minimum, naming the flag to change', () => {
    const thrown = (options: Parameters<typeof localFleetBounds>[0]) => {
      try {
        localFleetBounds(options);
      } catch (error) {
        return error;
      }
      throw new Error('did not throw');
    };
    const belowEdges = thrown({ edges: 5, fleet: { maxEdges: 4 } });
    expect(isHlscdnError(belowEdges, 'invalid-config')).toBe(true);
    expect((belowEdges as Error).message).toBe(
      "the local fleet's maximum (4 edges) is below the edges started at once (5): raise --max-edges",
    );
    expect((thrown({ edges: 2, fleet: { minEdges: 3, maxEdges: 2 } }) as Error).message).toBe(
      "the local fleet's maximum (2 edges) is below its minimum (3): raise --max-edges",
    );
  });
});
