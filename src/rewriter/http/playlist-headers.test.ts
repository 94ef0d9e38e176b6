import { describe, expect, it } from 'vitest';
import { createPlaylistHeaders, PLAYLIST_CONTENT_TYPE, type PlaylistHead } from './playlist-headers.js';

const exposeHeaders = ['Age', 'X-Hlscdn-Fallback'];
const head: PlaylistHead = { cacheControl: 'public, max-age=1', fallbackReason: undefined, fetchedAt: 1_000, originAgeSec: undefined };

describe('createPlaylistHeaders', () => {
  it('gives the content type, viewer caching, CORS, and Vary on the zone header', () => {
    const headers = createPlaylistHeaders({ cors: { origin: '*', exposeHeaders }, zoneHeader: 'x-hlscdn-zone' });
    expect(headers(head, 1_500)).toEqual({
      'Content-Type': PLAYLIST_CONTENT_TYPE,
      'Cache-Control': 'public, max-age=1',
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'Age, X-Hlscdn-Fallback',
      vary: 'x-hlscdn-zone',
    });
  });

  it('varies on Origin too when CORS names a fixed origin', () => {
    const headers = createPlaylistHeaders({ cors: { origin: 'https://player.example', exposeHeaders }, zoneHeader: 'x-hlscdn-zone' });
    expect(headers(head, 1_000)).toMatchObject({ 'access-control-allow-origin': 'https://player.example', vary: 'Origin, x-hlscdn-zone' });
  });

  it('adds an Age that grows with the time since the origin copy arrived, and the fallback reason', () => {
    const headers = createPlaylistHeaders({ cors: { origin: '*', exposeHeaders }, zoneHeader: 'x-hlscdn-zone' });
    const aged = { ...head, originAgeSec: 2, fallbackReason: 'no-live-edge' as const };
    expect(headers(aged, 3_500)).toMatchObject({ Age: '4', 'X-Hlscdn-Fallback': 'no-live-edge' });
    expect(headers(aged, 4_000)).toMatchObject({ Age: '5' });
    expect(headers(head, 1_900).Age).toBeUndefined();
  });

  it('returns a new object per call', () => {
    const headers = createPlaylistHeaders({ cors: { origin: '*', exposeHeaders }, zoneHeader: 'x-hlscdn-zone' });
    expect(headers(head, 1_000)).not.toBe(headers(head, 1_000));
  });
});
