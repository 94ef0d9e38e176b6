import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { HotAnswers, type HotAnswer } from './hot-answers.js';

function request(method: string, url: string, headers: Record<string, string> = {}): IncomingMessage {
  return { method, url, headers } as unknown as IncomingMessage;
}

function response() {
  const sent: { status?: number; headers?: OutgoingHttpHeaders; body?: string; ended: boolean } = { ended: false };
  const res = {
    writeHead: (status: number, headers: OutgoingHttpHeaders) => Object.assign(sent, { status, headers }),
    end: (body?: string) => Object.assign(sent, { body, ended: true }),
  } as unknown as ServerResponse;
  return { res, sent };
}

function answer(overrides: Partial<HotAnswer> = {}): HotAnswer & { served: number } {
  const made = {
    body: '#EXTM3U\n',
    bodyBytes: 8,
    headers: { 'content-type': 'application/vnd.apple.mpegurl', 'content-length': 8 },
    fetchedAt: 1_000,
    originAgeSec: undefined,
    served: 0,
    onServe: () => (made.served += 1),
    ...overrides,
  };
  return made;
}

describe('HotAnswers', () => {
  it('serves a remembered answer for the same URL and zone, until the hold time ends', () => {
    let now = 1_000;
    const hot = new HotAnswers({ varyHeader: 'x-zone', holdMs: 100, now: () => now });
    const kept = answer();
    hot.remember(hot.key('/a.m3u8?x=1', 'eu'), kept, 10_000);
    const { res, sent } = response();
    expect(hot.tryServe(request('GET', '/a.m3u8?x=1', { 'x-zone': 'eu' }), res)).toBe(true);
    expect(sent).toMatchObject({ status: 200, body: '#EXTM3U\n', ended: true });
    expect(sent.headers).toEqual(kept.headers);
    expect(kept.served).toBe(1);
    expect(hot.tryServe(request('GET', '/a.m3u8?x=1', { 'x-zone': 'us' }), response().res)).toBe(false);
    expect(hot.tryServe(request('GET', '/a.m3u8', { 'x-zone': 'eu' }), response().res)).toBe(false);
    now = 1_100;
    expect(hot.tryServe(request('GET', '/a.m3u8?x=1', { 'x-zone': 'eu' }), response().res)).toBe(false);
  });

  it('never holds an answer past the freshness of the origin copy behind it', () => {
    let now = 1_000;
    const hot = new HotAnswers({ varyHeader: 'x-zone', holdMs: 100, now: () => now });
    hot.remember(hot.key('/a.m3u8', undefined), answer(), 1_040);
    now = 1_040;
    expect(hot.tryServe(request('GET', '/a.m3u8'), response().res)).toBe(false);
    hot.remember(hot.key('/b.m3u8', undefined), answer(), 1_040);
    expect(hot.tryServe(request('GET', '/b.m3u8'), response().res)).toBe(false);
  });

  it('adds an Age that grows with the time since the origin copy arrived', () => {
    let now = 3_500;
    const hot = new HotAnswers({ varyHeader: 'x-zone', holdMs: 100, now: () => now });
    hot.remember(hot.key('/a.m3u8', undefined), answer({ fetchedAt: 1_000, originAgeSec: 2 }), 10_000);
    const { res, sent } = response();
    hot.tryServe(request('GET', '/a.m3u8'), res);
    expect(sent.headers?.age).toBe('4');
    now = 3_550;
    hot.remember(hot.key('/fresh.m3u8', undefined), answer({ fetchedAt: 3_500 }), 10_000);
    const fresh = response();
    hot.tryServe(request('GET', '/fresh.m3u8'), fresh.res);
    expect(fresh.sent.headers?.age).toBeUndefined();
  });

  it('answers HEAD without a body and leaves other methods to the app', () => {
    const hot = new HotAnswers({ varyHeader: 'x-zone', now: () => 0 });
    hot.remember(hot.key('/a.m3u8', undefined), answer({ fetchedAt: 0 }), 10_000);
    const { res, sent } = response();
    expect(hot.tryServe(request('HEAD', '/a.m3u8'), res)).toBe(true);
    expect(sent.body).toBeUndefined();
    expect(sent.headers?.['content-length']).toBe(8);
    expect(hot.tryServe(request('OPTIONS', '/a.m3u8'), response().res)).toBe(false);
  });
});
