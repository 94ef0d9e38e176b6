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

const HEADERS = { 'content-type': 'application/vnd.apple.mpegurl' };

function answer(overrides: Partial<HotAnswer> = {}): HotAnswer & { served: number } {
  const made = {
    body: '#EXTM3U\n',
    bodyBytes: 8,
    headersAt: () => ({ ...HEADERS }),
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
    expect(sent.headers).toEqual({ ...HEADERS, 'content-length': 8 });
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

  it('builds the headers again for each answer, at the time of that answer (Age grows)', () => {
    let now = 3_500;
    const hot = new HotAnswers({ varyHeader: 'x-zone', holdMs: 100, now: () => now });
    const asked: number[] = [];
    hot.remember(
      hot.key('/a.m3u8', undefined),
      answer({
        headersAt: (at) => {
          asked.push(at);
          return { age: String(at) };
        },
      }),
      10_000,
    );
    const first = response();
    hot.tryServe(request('GET', '/a.m3u8'), first.res);
    now = 3_550;
    const second = response();
    hot.tryServe(request('GET', '/a.m3u8'), second.res);
    expect(asked).toEqual([3_500, 3_550]);
    expect([first.sent.headers?.age, second.sent.headers?.age]).toEqual(['3500', '3550']);
  });

  it('answers HEAD without a body and leaves other methods to the app', () => {
    const hot = new HotAnswers({ varyHeader: 'x-zone', now: () => 0 });
    hot.remember(hot.key('/a.m3u8', undefined), answer(), 10_000);
    const { res, sent } = response();
    expect(hot.tryServe(request('HEAD', '/a.m3u8'), res)).toBe(true);
    expect(sent.body).toBeUndefined();
    expect(sent.headers?.['content-length']).toBe(8);
    expect(hot.tryServe(request('OPTIONS', '/a.m3u8'), response().res)).toBe(false);
  });
});
