import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { answerKey, HotAnswers, type HotAnswer } from './hot-answers.js';

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
  it('serves a remembered answer for the same canonical request and zone, until the hold time ends', () => {
    let now = 1_000;
    const hot = new HotAnswers({ varyHeader: 'x-zone', holdMs: 100, now: () => now });
    const kept = answer();
    hot.remember(hot.key('/a.m3u8?hlscdn_mode=redirect', 'eu'), kept, 10_000);
    const { res, sent } = response();
    expect(hot.tryServe(request('GET', '/a.m3u8?hlscdn_mode=redirect', { 'x-zone': 'eu' }), res)).toBe(true);
    expect(sent).toMatchObject({ status: 200, body: '#EXTM3U\n', ended: true });
    expect(sent.headers).toEqual({ ...HEADERS, 'content-length': 8 });
    expect(kept.served).toBe(1);
    expect(hot.tryServe(request('GET', '/a.m3u8?hlscdn_mode=redirect', { 'x-zone': 'us' }), response().res)).toBe(false);
    expect(hot.tryServe(request('GET', '/a.m3u8', { 'x-zone': 'eu' }), response().res)).toBe(false);
    now = 1_100;
    expect(hot.tryServe(request('GET', '/a.m3u8?hlscdn_mode=redirect', { 'x-zone': 'eu' }), response().res)).toBe(false);
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

describe('answerKey', () => {
  it('keeps the path and only the parameters that change the answer, in name order', () => {
    expect(answerKey('/live/a.m3u8')).toBe('/live/a.m3u8');
    expect(answerKey('/live/a.m3u8?session=42&cb=1700000000')).toBe('/live/a.m3u8');
    expect(answerKey('/live/a.m3u8?sid=9&hlscdn_mode=redirect&_HLS_msn=12&x=1&_HLS_part=2')).toBe(
      '/live/a.m3u8?_HLS_msn=12&_HLS_part=2&hlscdn_mode=redirect',
    );
    expect(answerKey('/live/a.m3u8?_HLS_part=2&_HLS_msn=12')).toBe(answerKey('/live/a.m3u8?_HLS_msn=12&_HLS_part=2'));
  });

  it('keeps answers apart that differ in a parameter of ours', () => {
    expect(answerKey('/a.m3u8?hlscdn_mode=redirect')).not.toBe(answerKey('/a.m3u8?hlscdn_mode=absolute'));
    expect(answerKey('/a.m3u8?hlscdn_backup=1&s=1')).not.toBe(answerKey('/a.m3u8?s=1'));
    // Repeated names keep their order: the first one is the one read.
    expect(answerKey('/a.m3u8?hlscdn_mode=a&hlscdn_mode=b')).not.toBe(answerKey('/a.m3u8?hlscdn_mode=b&hlscdn_mode=a'));
    // A viewer parameter that merely contains our prefix later in its name is not ours.
    expect(answerKey('/a.m3u8?x_hlscdn_mode=1')).toBe('/a.m3u8');
  });

  it('lets viewers with their own query strings share one held answer', () => {
    const hot = new HotAnswers({ varyHeader: 'x-zone', now: () => 0 });
    const kept = answer();
    hot.remember(hot.key('/a.m3u8?session=1', undefined), kept, 10_000);
    const { res, sent } = response();
    expect(hot.tryServe(request('GET', '/a.m3u8?session=2&cb=77'), res)).toBe(true);
    expect(sent.body).toBe('#EXTM3U\n');
    expect(hot.tryServe(request('GET', '/a.m3u8?session=2&hlscdn_mode=redirect'), response().res)).toBe(false);
  });
});
