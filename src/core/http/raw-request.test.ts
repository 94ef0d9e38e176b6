import { describe, expect, it } from 'vitest';
import { MAX_HEAD_BYTES, readRawRequest, type RawReadResult } from './raw-request.js';

const head = (...lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;
const get = (...headers: string[]) => head('GET /a HTTP/1.1', 'Host: example.com', ...headers);

function request(result: RawReadResult) {
  if (result.kind !== 'request') throw new Error(`expected a request, got ${result.kind}`);
  return result;
}

describe('readRawRequest', () => {
  it('reads a plain GET: method, raw target, lower-case headers, keep-alive, and the head length', () => {
    const bytes = head('GET /live/v0/index.m3u8?token=a%2Fb&x=1 HTTP/1.1', 'Host: cdn.example.com:8080', 'User-Agent: test/1.0');
    expect(readRawRequest(bytes)).toEqual({
      kind: 'request',
      request: {
        method: 'GET',
        target: '/live/v0/index.m3u8?token=a%2Fb&x=1',
        headers: { host: 'cdn.example.com:8080', 'user-agent': 'test/1.0' },
        close: false,
      },
      length: bytes.length,
    });
  });

  it('reads a HEAD', () => {
    expect(request(readRawRequest(head('HEAD / HTTP/1.1', 'Host: a'))).request).toMatchObject({ method: 'HEAD', target: '/' });
  });

  it('reads the first of two pipelined requests; length points at the second', () => {
    const first = get('X-N: 1');
    const second = head('HEAD /b HTTP/1.1', 'Host: example.com');
    const bytes = first + second;
    const one = request(readRawRequest(bytes));
    expect(one.length).toBe(first.length);
    expect(one.request).toMatchObject({ method: 'GET', target: '/a', headers: { 'x-n': '1' } });
    const two = request(readRawRequest(bytes.slice(one.length)));
    expect(two.length).toBe(second.length);
    expect(two.request).toMatchObject({ method: 'HEAD', target: '/b' });
  });

  it('reads a request followed by the start of the next one (the rest is left for later)', () => {
    const first = get();
    expect(request(readRawRequest(`${first}GET /b HTT`)).length).toBe(first.length);
  });

  it('says incomplete until the blank line that ends the head has arrived', () => {
    const full = get('Accept: */*');
    for (const cut of [0, 1, 5, full.length - 4, full.length - 2, full.length - 1]) {
      expect(readRawRequest(full.slice(0, cut))).toEqual({ kind: 'incomplete' });
    }
    expect(readRawRequest(full).kind).toBe('request');
  });

  it('matches header names case-insensitively and joins repeated headers with ", "', () => {
    const { request: read } = request(readRawRequest(get('ACCEPT: text/plain', 'x-Zone: eu', 'accept: text/html', 'X-ZONE:  us  ')));
    expect(read.headers).toEqual({ host: 'example.com', accept: 'text/plain, text/html', 'x-zone': 'eu, us' });
  });

  it('trims only spaces and tabs around a value, keeping tabs inside and latin1 bytes at the ends', () => {
    const { request: read } = request(readRawRequest(get('X-A: \t a\tb \t', 'X-B: caf\xe9\xa0', 'X-Empty:')));
    expect(read.headers).toMatchObject({ 'x-a': 'a\tb', 'x-b': 'caf\xe9\xa0', 'x-empty': '' });
  });

  it.each([
    ['Connection: close', true],
    ['Connection: keep-alive, close', true],
    ['connection: Keep-Alive,CLOSE', true],
    ['Connection: keep-alive', false],
    ['Connection: closed', false],
  ])('%s sets close=%s', (line, close) => {
    expect(request(readRawRequest(get(line))).request.close).toBe(close);
  });

  it('takes close from repeated Connection headers too', () => {
    expect(request(readRawRequest(get('Connection: keep-alive', 'Connection: close'))).request.close).toBe(true);
  });

  it('accepts Content-Length: 0 (no body)', () => {
    expect(readRawRequest(get('Content-Length: 0')).kind).toBe('request');
  });

  it.each([
    ['POST', head('POST /a HTTP/1.1', 'Host: a', 'Content-Length: 0')],
    ['a lower-case method', head('get /a HTTP/1.1', 'Host: a')],
    ['OPTIONS', head('OPTIONS /a HTTP/1.1', 'Host: a')],
    ['HTTP/1.0', head('GET /a HTTP/1.0', 'Host: a')],
    ['HTTP/2.0', head('GET /a HTTP/2.0', 'Host: a')],
    ['no version', head('GET /a', 'Host: a')],
    ['an absolute-form target', head('GET http://a/b HTTP/1.1', 'Host: a')],
    ['the asterisk target', head('GET * HTTP/1.1', 'Host: a')],
    ['an empty target (two spaces)', head('GET  /a HTTP/1.1', 'Host: a')],
    ['a target with a space', head('GET /a b HTTP/1.1', 'Host: a')],
    ['a target with a control char', head('GET /a\x01b HTTP/1.1', 'Host: a')],
    ['a target with a tab', head('GET /a\tb HTTP/1.1', 'Host: a')],
    ['a target with DEL', head('GET /a\x7f HTTP/1.1', 'Host: a')],
    ['a target with a non-ASCII byte', head('GET /caf\xe9 HTTP/1.1', 'Host: a')],
    ['a blank line before the request line', `\r\n${head('GET /a HTTP/1.1', 'Host: a')}`],
    ['a missing Host', head('GET /a HTTP/1.1', 'Accept: */*')],
    ['two Host headers', head('GET /a HTTP/1.1', 'Host: a', 'Host: b')],
    ['two Host headers, different case', head('GET /a HTTP/1.1', 'Host: a', 'HOST: a')],
    ['Transfer-Encoding', get('Transfer-Encoding: chunked')],
    ['Transfer-Encoding in another case', get('transfer-ENCODING: identity')],
    ['Content-Length other than 0', get('Content-Length: 5')],
    ['Content-Length 00', get('Content-Length: 00')],
    ['a duplicated Content-Length', get('Content-Length: 0', 'Content-Length: 0')],
    ['Upgrade', get('Connection: Upgrade', 'Upgrade: websocket')],
    ['Expect', get('Expect: 100-continue')],
    ['HTTP2-Settings', get('HTTP2-Settings: AAMAAABkAAQAAP__')],
    ['an obs-fold continuation line (space)', get('X-A: one', ' two')],
    ['an obs-fold continuation line (tab)', get('X-A: one', '\ttwo')],
    ['a header line without a colon', get('X-A')],
    ['a header line with an empty name', get(': a')],
    ['a header name with a space', get('X A: b')],
    ['a space before the colon', get('X-A : b')],
    ['a header name with a non-token char', get('X(A): b')],
    ['a NUL in a value', get('X-A: a\0b')],
    ['a control char in a value', get('X-A: a\x01b')],
    ['an escape char in a value', get('X-A: a\x1b[0m')],
    ['a form feed at the end of a value', get('X-A: a\x0c')],
    ['a vertical tab at the start of a value', get('X-A: \x0ba')],
    ['DEL in a value', get('X-A: a\x7fb')],
    ['a bare CR in a value', get('X-A: a\rb')],
    ['a bare LF inside a complete head', get('X-A: a\nX-B: b')],
  ])('is unsupported with %s', (_what, bytes) => {
    expect(readRawRequest(bytes)).toEqual({ kind: 'unsupported' });
  });

  it('is unsupported, not incomplete, for a head with bare LF line endings (Node answers it with 400)', () => {
    expect(readRawRequest('GET /a HTTP/1.1\nHost: a\n\n')).toEqual({ kind: 'unsupported' });
    expect(readRawRequest('GET /a HTTP/1.1\nHo')).toEqual({ kind: 'unsupported' });
    // A CRLF split between two reads is still just incomplete.
    expect(readRawRequest('GET /a HTTP/1.1\r')).toEqual({ kind: 'incomplete' });
    expect(readRawRequest('GET /a HTTP/1.1\r\nHost: a\r\n\r')).toEqual({ kind: 'incomplete' });
  });

  describe('head size', () => {
    const padded = (headBytes: number) => {
      const base = get('X-Pad: ');
      return get(`X-Pad: ${'a'.repeat(headBytes - base.length)}`);
    };

    it('reads a head of MAX_HEAD_BYTES', () => {
      const bytes = padded(MAX_HEAD_BYTES);
      expect(bytes.length).toBe(MAX_HEAD_BYTES);
      expect(request(readRawRequest(bytes)).length).toBe(MAX_HEAD_BYTES);
    });

    it('is unsupported for a complete head larger than MAX_HEAD_BYTES, however it arrived', () => {
      for (const extra of [1, 2, 3, 4]) expect(readRawRequest(padded(MAX_HEAD_BYTES + extra))).toEqual({ kind: 'unsupported' });
      expect(readRawRequest(padded(MAX_HEAD_BYTES + 8))).toEqual({ kind: 'unsupported' });
      expect(readRawRequest(padded(4 * MAX_HEAD_BYTES))).toEqual({ kind: 'unsupported' });
    });

    it('is unsupported for an incomplete head already larger than MAX_HEAD_BYTES', () => {
      const partial = `GET /a HTTP/1.1\r\nHost: a\r\nX-Pad: ${'a'.repeat(MAX_HEAD_BYTES)}`;
      expect(readRawRequest(partial)).toEqual({ kind: 'unsupported' });
      expect(readRawRequest(partial.slice(0, MAX_HEAD_BYTES))).toEqual({ kind: 'incomplete' });
    });

    it('reads a small request followed by a large pipelined one (only the first head counts)', () => {
      const first = get();
      expect(request(readRawRequest(first + padded(2 * MAX_HEAD_BYTES))).length).toBe(first.length);
    });
  });
});
