/** Fleet builders shared by the selection tests. */
import type { EdgeCandidate } from '../types.js';

export function edge(id: string, overrides: Partial<Omit<EdgeCandidate, 'id'>> = {}): EdgeCandidate {
  return { id, weight: 1, state: 'active', load: 0, ...overrides };
}

export function fleet(size: number, prefix = 'edge-'): EdgeCandidate[] {
  return Array.from({ length: size }, (_, i) => edge(`${prefix}${i}`));
}

export const segmentKey = (i: number): string => `live/channel-1/720p/segment-${i}.m4s`;
