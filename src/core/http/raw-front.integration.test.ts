/**
 * The raw front (raw-front.ts) behind startHttpServer, over real sockets on 127.0.0.1: hot answers
 * and app answers written from the socket's bytes, keep-alive and pipelining, hand-off of anything
 * not simple to Node's own server (mid-connection too, unread bytes included), and close().
 */
import { connect, type Socket } from 'node:net';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EncodedAnswer, RawAnswer } from './raw-front.js';
import type * as RawRequestModule from './raw-request.js';
import type { RawReadResult, RawRequest } from './raw-request.js';
import { startHttpServer, type RunningServer } from './serve.js';

// The reader as the front calls it, recorded: lets tests wait for "the front has seen these bytes" instead of sleeping.
const reads = vi.hoisted(() => [] as { bytes: string; result: RawReadResult }[]);
vi.mock('./raw-request.js', async (importOriginal) => {
  const actual = await importOriginal<typeof RawRequestModule>();
  return {
    ...actual,
    readRawRequest: (bytes: string) => {
      const result = actual.readRawRequest(bytes);
      reads.push({ bytes, result });
      return result;
    },
  };
});

// ---------------------------------------------------------------------------------------------
// A raw HTTP/1.1 client: writes bytes, parses the responses that come back, one at a time.

interface RawResponse {
  /** The head as sent, status line to blank line, with the Date value replaced by `<date>`. */
  head: string;
  status: number;
  headers: [string, string][];
  header(name: string): string | undefined;
  all(name: string): string[];
  body: Buffer;
}

function parseResponse(bytes: Buffer, ended: boolean, noBody: boolean): { response: RawResponse; length: number } | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const text = bytes.subarray(0, end + 4).toString('latin1');
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  const all = (name: string) => headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
  const status = Number(statusLine!.split(' ')[1]);
  const make = (body: Buffer, length: number) => ({
    response: { head: text.replace(/^Date: .*$/m, 'Date: <date>'), status, headers, header: (n: string) => all(n)[0], all, body },
    length,
  });
  const start = end + 4;
  if (noBody || status === 204 || status === 304 || status < 200) return make(Buffer.alloc(0), start);
  if (all('transfer-encoding')[0]?.toLowerCase() === 'chunked') {
    const chunks: Buffer[] = [];
    let at = start;
    for (;;) {
      const lineEnd = bytes.indexOf('\r\n', at);
      if (lineEnd === -1) return undefined;
      const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
      if (bytes.length < lineEnd + 2 + size + 2) return undefined;
      if (size === 0) return make(Buffer.concat(chunks), lineEnd + 4);
      chunks.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  const declared = all('content-length')[0];
  if (declared !== undefined) {
    const length = Number(declared);
    return bytes.length < start + length ? undefined : make(bytes.subarray(start, start + length), start + length);
  }
  // Neither: the body runs to the end of the connection.
  return ended ? make(bytes.subarray(start), bytes.length) : undefined;
}

class RawClient {
  private buffer = Buffer.alloc(0);
  private ended = false;
  private wake: (() => void) | undefined;
  /** Resolves when the server has ended (or reset) the connection. */
  readonly ends: Promise<void>;
  readonly closes: Promise<void>;

  private constructor(readonly socket: Socket) {
    const notify = () => {
      this.wake?.();
      this.wake = undefined;
    };
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      notify();
    });
    this.ends = new Promise((resolve) => {
      const ended = () => {
        this.ended = true;
        notify();
        resolve();
      };
      socket.once('end', ended);
      socket.once('close', ended);
    });
    this.closes = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.off('error', reject);
        resolve(new RawClient(socket));
      });
      socket.once('error', reject);
    });
  }

  send(bytes: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes, (error) => (error ? reject(error) : resolve())),
    );
  }

  /** The next whole response (`noBody` for the answer to a HEAD). */
  async next(noBody = false): Promise<RawResponse> {
    for (;;) {
      const parsed = parseResponse(this.buffer, this.ended, noBody);
      if (parsed !== undefined) {
        this.buffer = this.buffer.subarray(parsed.length);
        return parsed.response;
      }
      if (this.ended) throw new Error(`connection ended before a whole response: ${JSON.stringify(this.buffer.toString('latin1'))}`);
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Bytes received and not yet taken by next(). */
  get unread(): string {
    return this.buffer.toString('latin1');
  }

  destroy(): void {
    this.socket.destroy();
  }
}

const request = (method: string, target: string, ...headers: string[]) =>
  `${method} ${target} HTTP/1.1\r\nHost: test\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`;
const post = (target: string, body: string, ...headers: string[]) =>
  request('POST', target, `Content-Length: ${Buffer.byteLength(body)}`, 'Content-Type: text/plain; charset=utf-8', ...headers) + body;

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

// ---------------------------------------------------------------------------------------------
// The server under test: a small app, and hot answers for /hot and /hot-*.

const HOT_BODY = 'hot é ✓ 🎬\n';

interface Fixture {
  server: RunningServer;
  answered: RawRequest[];
  /** The answer to /hot-slot: one headers object and one encoded slot for every request, as a held answer gives. */
  slotted: RawAnswer & { encoded: EncodedAnswer };
  appRequests: string[];
  gate: { entered: ReturnType<typeof deferred>; release: ReturnType<typeof deferred> };
}

async function startFixture(): Promise<Fixture> {
  const answered: RawRequest[] = [];
  const appRequests: string[] = [];
  const fixture = { answered, appRequests, gate: { entered: deferred(), release: deferred() } } as Fixture;
  fixture.slotted = { status: 200, headers: { 'X-Version': '1' }, body: HOT_BODY, bodyBytes: Buffer.byteLength(HOT_BODY), encoded: {} };
  const app = new Hono<{ Bindings: { incoming: { url?: string; socket?: Socket } } }>();
  app.use(async (c, next) => {
    appRequests.push(`${c.req.method} ${c.env.incoming.url}`);
    await next();
  });
  app.get('/hot', (c) => c.text('hot from the app'));
  app.get('/app', (c) => {
    c.header('set-cookie', 'a=1; Path=/', { append: true });
    c.header('set-cookie', 'b=2; HttpOnly', { append: true });
    c.header('x-app', 'yes');
    return c.text('app é', 201);
  });
  app.get('/slow', async (c) => {
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.resolve();
    return c.text('slow answer');
  });
  app.get('/gate', async (c) => {
    fixture.gate.entered.resolve();
    await fixture.gate.release.promise;
    return c.text('gated');
  });
  app.get('/not-modified', (c) => c.body(null, 304, { etag: '"v1"' }));
  app.get('/empty', (c) => c.body(null, 204));
  app.get('/latin1', (c) => c.body(null, 204, { 'x-name': 'caf\xe9' }));
  app.get('/bad-stream', () => new Response(new ReadableStream({ pull: (controller) => controller.error(new Error('upstream gone')) })));
  app.get('/raw/*', (c) =>
    c.json({
      incomingUrl: c.env.incoming.url,
      url: c.req.url,
      path: c.req.path,
      custom: c.req.header('x-custom') ?? null,
      connection: c.req.header('connection') ?? null,
      remotePort: c.env.incoming.socket?.remotePort ?? null,
    }),
  );
  app.post('/echo', async (c) => c.text(`echo:${await c.req.text()}`, 200, { 'x-incoming-url': c.env.incoming.url ?? '' }));
  fixture.server = await startHttpServer(app, {
    port: 0,
    rawFastPath: (req, _now): RawAnswer | undefined => {
      if (req.target === '/throw') throw new Error('answer failed');
      if (req.target !== '/hot' && !req.target.startsWith('/hot-')) return undefined;
      answered.push(req);
      if (req.target === '/hot-slot') return fixture.slotted;
      return {
        status: req.target === '/hot-404' ? 404 : 200,
        headers: {
          'Content-Type': 'text/plain; charset=utf-8',
          'Cache-Control': 'max-age=1',
          'X-Hot': ['one', 'two'],
          // The front writes these itself: an answer's own values are dropped.
          'Content-Length': '999',
          Date: 'yesterday',
          Connection: 'upgrade',
        },
        body: HOT_BODY,
        bodyBytes: Buffer.byteLength(HOT_BODY),
      };
    },
  });
  return fixture;
}

const hotHead = (status = '200 OK', connection = 'keep-alive') =>
  `HTTP/1.1 ${status}\r\nDate: <date>\r\nConnection: ${connection}\r\nContent-Length: ${Buffer.byteLength(HOT_BODY)}\r\n` +
  'Content-Type: text/plain; charset=utf-8\r\nCache-Control: max-age=1\r\nX-Hot: one\r\nX-Hot: two\r\n\r\n';

const waitForRead = (kind: RawReadResult['kind'], bytes: (read: string) => boolean) =>
  vi.waitFor(() => expect(reads.some((read) => read.result.kind === kind && bytes(read.bytes))).toBe(true), { interval: 5 });

let fixture: Fixture;
let clients: RawClient[] = [];
const open = async () => {
  const client = await RawClient.open(fixture.server.port);
  clients.push(client);
  return client;
};

beforeAll(async () => {
  fixture = await startFixture();
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await fixture?.server.close();
});

beforeEach(() => {
  for (const client of clients) client.destroy();
  clients = [];
  reads.length = 0;
  fixture.answered.length = 0;
  fixture.appRequests.length = 0;
});

describe('raw front: hot answers', () => {
  it('writes a hot answer with status line, Date, Connection, the UTF-8 Content-Length and the answer headers, in one go', async () => {
    const client = await open();
    const before = Date.now();
    await client.send(request('GET', '/hot', 'X-Zone: eu'));
    const response = await client.next();
    expect(response.head).toBe(hotHead());
    const date = Date.parse(response.header('date')!);
    expect(response.header('date')).toMatch(
      /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d GMT$/,
    );
    expect(date).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(date).toBeLessThanOrEqual(Date.now());
    expect(response.body.toString('utf8')).toBe(HOT_BODY);
    expect(Number(response.header('content-length'))).toBeGreaterThan(HOT_BODY.length);
    expect(client.unread).toBe('');
    expect(fixture.answered).toEqual([
      { method: 'GET', target: '/hot', headers: { host: 'test', 'x-zone': 'eu' }, close: false, remoteAddress: '127.0.0.1' },
    ]);
    expect(fixture.appRequests).toEqual([]);
  });

  it("writes the answer's own status", async () => {
    const client = await open();
    await client.send(request('GET', '/hot-404'));
    expect((await client.next()).head).toBe(hotHead('404 Not Found'));
  });

  it('answers a HEAD with the same headers and no body (the next response on the connection proves it)', async () => {
    const client = await open();
    await client.send(request('HEAD', '/hot'));
    const head = await client.next(true);
    expect(head.head).toBe(hotHead());
    await client.send(request('GET', '/hot'));
    const get = await client.next();
    expect(get.head).toBe(hotHead());
    expect(get.body.toString('utf8')).toBe(HOT_BODY);
    expect(client.unread).toBe('');
  });

  it('is what fetch gets too', async () => {
    const response = await fetch(`${fixture.server.url}/hot`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-hot')).toBe('one, two');
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(HOT_BODY)));
    expect(await response.text()).toBe(HOT_BODY);
  });
});

describe('raw front: answers from the app', () => {
  it('writes a miss byte-correct: status, headers, each Set-Cookie on its own line, body and its byte length', async () => {
    const client = await open();
    await client.send(request('GET', '/app'));
    const response = await client.next();
    expect(response.head).toBe(
      'HTTP/1.1 201 Created\r\nDate: <date>\r\nConnection: keep-alive\r\nContent-Length: 6\r\n' +
        'content-type: text/plain; charset=UTF-8\r\nx-app: yes\r\nset-cookie: a=1; Path=/\r\nset-cookie: b=2; HttpOnly\r\n\r\n',
    );
    expect(response.body.toString('utf8')).toBe('app é');
    expect(client.unread).toBe('');
    expect(fixture.appRequests).toEqual(['GET /app']);
  });

  it('gives fetch the same, both cookies included', async () => {
    const response = await fetch(`${fixture.server.url}/app`);
    expect(response.status).toBe(201);
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(await response.text()).toBe('app é');
  });

  it("writes the app's 404", async () => {
    const client = await open();
    await client.send(request('GET', '/nowhere'));
    const response = await client.next();
    expect(response.status).toBe(404);
    expect(response.head).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
    expect(response.header('content-length')).toBe('13');
    expect(response.body.toString()).toBe('404 Not Found');
  });

  it.each([
    ['/not-modified', '304 Not Modified', 'etag: "v1"\r\n'],
    ['/empty', '204 No Content', ''],
  ])('writes %s without Content-Length or body; the connection goes on', async (target, status, headers) => {
    const client = await open();
    await client.send(request('GET', target));
    const response = await client.next();
    expect(response.head).toBe(`HTTP/1.1 ${status}\r\nDate: <date>\r\nConnection: keep-alive\r\n${headers}\r\n`);
    await client.send(request('GET', '/hot'));
    expect((await client.next()).head).toBe(hotHead());
    expect(client.unread).toBe('');
  });

  it('writes header values as latin1 bytes, as Node does, also when no body follows', async () => {
    const client = await open();
    await client.send(request('GET', '/latin1'));
    const response = await client.next();
    expect(response.header('x-name')).toBe('caf\xe9');
    await client.send(request('GET', '/hot'));
    expect((await client.next()).head).toBe(hotHead());
    expect(client.unread).toBe('');
  });

  it('answers a HEAD miss without a body, and not with a made-up Content-Length of 0', async () => {
    const client = await open();
    await client.send(request('HEAD', '/app'));
    const response = await client.next(true);
    expect(response.status).toBe(201);
    expect(response.header('x-app')).toBe('yes');
    const length = response.header('content-length');
    expect(length === undefined || length === '6').toBe(true);
    await client.send(request('GET', '/hot'));
    expect((await client.next()).head).toBe(hotHead());
    expect(client.unread).toBe('');
  });

  it('gives the app the raw target as env.incoming.url, the parsed URL, and no hop-by-hop headers', async () => {
    const client = await open();
    await client.send(request('GET', '/raw/a%2Fb?x=1&y=%20', 'X-Custom: yes', 'Connection: keep-alive'));
    const response = await client.next();
    expect(JSON.parse(response.body.toString())).toEqual({
      incomingUrl: '/raw/a%2Fb?x=1&y=%20',
      url: 'http://test/raw/a%2Fb?x=1&y=%20',
      path: '/raw/a%2Fb',
      custom: 'yes',
      connection: null,
      remotePort: client.socket.localPort,
    });
  });

  it('answers 500 when the app answer body fails, and the server goes on', async () => {
    const client = await open();
    await client.send(request('GET', '/bad-stream'));
    const response = await client.next();
    expect(response.status).toBe(500);
    const again = await fetch(`${fixture.server.url}/hot`);
    expect(await again.text()).toBe(HOT_BODY);
  });

  it('drops a connection whose answer function throws, and the server goes on', async () => {
    const client = await open();
    await client.send(request('GET', '/throw'));
    await client.ends;
    const again = await fetch(`${fixture.server.url}/hot`);
    expect(await again.text()).toBe(HOT_BODY);
  });
});

describe('raw front: keep-alive and pipelining', () => {
  it('answers several requests on one connection, hot and app mixed', async () => {
    const client = await open();
    const ports: unknown[] = [];
    for (const target of ['/hot', '/raw/1', '/hot', '/app', '/raw/2']) {
      await client.send(request('GET', target));
      const response = await client.next();
      expect(response.header('connection')).toBe('keep-alive');
      if (target.startsWith('/raw/')) ports.push(JSON.parse(response.body.toString()).remotePort);
    }
    expect(ports).toEqual([client.socket.localPort, client.socket.localPort]);
    expect(fixture.answered).toHaveLength(2);
  });

  it('reads a head repeated on a connection once, also with other heads in between, and answers each request', async () => {
    const client = await open();
    for (const target of ['/hot', '/hot-404', '/hot', '/hot-404', '/hot']) {
      await client.send(request('GET', target));
      expect((await client.next()).head).toBe(hotHead(target === '/hot' ? '200 OK' : '404 Not Found'));
    }
    // Each head read twice (the second time it repeated, and its request is kept); the third /hot was not read.
    expect(reads.filter((r) => r.result.kind === 'request')).toHaveLength(4);
    expect(fixture.answered).toHaveLength(5);
    expect(fixture.answered[4]).toBe(fixture.answered[2]);
    // Another connection reads its own: the peer's address is per connection.
    const other = await open();
    await other.send(request('GET', '/hot'));
    await other.next();
    expect(fixture.answered[5]).not.toBe(fixture.answered[2]);
    expect(reads.filter((r) => r.result.kind === 'request')).toHaveLength(5);
  });

  it('reuses the encoded bytes of an answer with a slot only while its head would be the same', async () => {
    const client = await open();
    const get = async (extra?: string) => {
      await client.send(extra === undefined ? request('GET', '/hot-slot') : request('GET', '/hot-slot', extra));
      return client.next();
    };
    const first = await get();
    expect(first.header('x-version')).toBe('1');
    expect(first.body.toString('utf8')).toBe(HOT_BODY);
    const bytes = fixture.slotted.encoded.bytes;
    expect(bytes?.toString('utf8').endsWith(HOT_BODY)).toBe(true);
    await get();
    expect(fixture.slotted.encoded.bytes).toBe(bytes);
    // A new headers object: a new head.
    fixture.slotted.headers = { 'X-Version': '2' };
    expect((await get()).header('x-version')).toBe('2');
    // Connection: close changes the head too; the connection then ends.
    const closing = await get('Connection: close');
    expect(closing.header('connection')).toBe('close');
    expect(closing.header('x-version')).toBe('2');
    // The next second's Date is written, not the cached one.
    const later = await open();
    const firstDate = first.header('date');
    await vi.waitFor(
      async () => {
        await later.send(request('GET', '/hot-slot'));
        expect((await later.next()).header('date')).not.toBe(firstDate);
      },
      { timeout: 3_000, interval: 100 },
    );
  });

  it('answers two requests sent in one write, in order', async () => {
    const client = await open();
    await client.send(request('GET', '/hot') + request('GET', '/app'));
    expect((await client.next()).head).toBe(hotHead());
    expect((await client.next()).body.toString()).toBe('app é');
    expect(client.unread).toBe('');
  });

  it('answers a slow app miss before the hot answer pipelined behind it', async () => {
    const client = await open();
    await client.send(request('GET', '/slow') + request('GET', '/hot') + request('HEAD', '/hot') + request('GET', '/raw/x'));
    expect((await client.next()).body.toString()).toBe('slow answer');
    expect((await client.next()).body.toString()).toBe(HOT_BODY);
    expect((await client.next(true)).head).toBe(hotHead());
    expect(JSON.parse((await client.next()).body.toString()).incomingUrl).toBe('/raw/x');
    expect(client.unread).toBe('');
  });

  it('answers a request whose head arrives in pieces', async () => {
    const client = await open();
    const whole = request('GET', '/hot', 'X-Zone: eu');
    await client.send(whole.slice(0, 20));
    await waitForRead('incomplete', (bytes) => bytes === whole.slice(0, 20));
    await client.send(whole.slice(20, whole.length - 1));
    await waitForRead('incomplete', (bytes) => bytes === whole.slice(0, whole.length - 1));
    expect(client.unread).toBe('');
    await client.send(whole.slice(whole.length - 1));
    expect((await client.next()).head).toBe(hotHead());
    expect(fixture.answered[0]?.headers).toEqual({ host: 'test', 'x-zone': 'eu' });
  });

  it.each(['Connection: close', 'Connection: keep-alive, close'])(
    'answers %s with Connection: close and ends the connection',
    async (line) => {
      const client = await open();
      await client.send(request('GET', '/hot', line) + request('GET', '/hot'));
      const response = await client.next();
      expect(response.head).toBe(hotHead('200 OK', 'close'));
      await client.ends;
      expect(client.unread).toBe('');
    },
  );

  it('answers Connection: close from the app with Connection: close and ends the connection', async () => {
    const client = await open();
    await client.send(request('GET', '/slow', 'Connection: close'));
    const response = await client.next();
    expect(response.header('connection')).toBe('close');
    expect(response.body.toString()).toBe('slow answer');
    await client.ends;
  });

  it('survives a client that resets the connection after a Connection: close answer', async () => {
    for (let i = 0; i < 5; i++) {
      const client = await open();
      await client.send(request('GET', '/hot', 'Connection: close'));
      await client.next();
      client.socket.resetAndDestroy();
      await client.closes;
    }
    const again = await fetch(`${fixture.server.url}/hot`);
    expect(await again.text()).toBe(HOT_BODY);
  });
});

describe('raw front: hand-off to Node’s server', () => {
  it('hands a POST with a body on a fresh connection to Node; the app gets the body intact', async () => {
    const client = await open();
    const body = 'héllo wörld '.repeat(500);
    await client.send(post('/echo?q=1', body));
    const response = await client.next();
    expect(response.status).toBe(200);
    expect(response.body.toString('utf8')).toBe(`echo:${body}`);
    expect(response.header('x-incoming-url')).toBe('/echo?q=1');
    expect(reads.some((read) => read.result.kind === 'unsupported')).toBe(true);
  });

  it('hands off mid-connection: a GET answered here, then a POST in pieces answered by Node, then more on the same connection', async () => {
    const client = await open();
    await client.send(request('GET', '/hot'));
    expect((await client.next()).head).toBe(hotHead());
    const body = 'x'.repeat(40_000) + 'é';
    const bytes = Buffer.from(post('/echo', body), 'utf8');
    await client.send(bytes.subarray(0, 50));
    await client.send(bytes.subarray(50, 200));
    await client.send(bytes.subarray(200));
    const echoed = await client.next();
    expect(echoed.status).toBe(200);
    expect(echoed.body.toString('utf8')).toBe(`echo:${body}`);
    // Node's server has the connection now: /hot is the app's, not the hot answer.
    await client.send(request('GET', '/hot'));
    expect((await client.next()).body.toString()).toBe('hot from the app');
    expect(fixture.answered).toHaveLength(1);
    expect(client.unread).toBe('');
  });

  it('hands off with the unread bytes: GET + POST + GET pipelined in one write come back in order', async () => {
    const client = await open();
    await client.send(request('GET', '/slow') + post('/echo', 'body one') + request('GET', '/raw/after'));
    expect((await client.next()).body.toString()).toBe('slow answer');
    expect((await client.next()).body.toString()).toBe('echo:body one');
    expect(JSON.parse((await client.next()).body.toString()).incomingUrl).toBe('/raw/after');
  });

  it('hands a POST to Node through fetch too', async () => {
    const response = await fetch(`${fixture.server.url}/echo`, { method: 'POST', body: 'from fetch ✓' });
    expect(await response.text()).toBe('echo:from fetch ✓');
  });

  it('hands a head with a header over 16 KiB to Node, which answers 431', async () => {
    const client = await open();
    await client.send(request('GET', '/hot', `X-Big: ${'a'.repeat(17 * 1024)}`));
    const response = await client.next();
    expect(response.status).toBe(431);
    expect(fixture.answered).toEqual([]);
  });

  it('hands an HTTP/1.0 request to Node, which answers it', async () => {
    const client = await open();
    await client.send('GET /raw/old HTTP/1.0\r\nHost: test\r\n\r\n');
    const response = await client.next();
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString()).incomingUrl).toBe('/raw/old');
    await client.ends;
  });

  it('hands a request with a control char in a header to Node, which answers 400', async () => {
    const client = await open();
    await client.send(request('GET', '/hot', 'X-Bad: a\x01b'));
    expect((await client.next()).status).toBe(400);
    expect(fixture.answered).toEqual([]);
  });

  it('hands a head with bare LF line endings to Node, which answers 400', async () => {
    const client = await open();
    await client.send('GET /hot HTTP/1.1\nHost: test\n\n');
    expect((await client.next()).status).toBe(400);
  });
});

describe('raw front: close()', () => {
  it('ends idle keep-alive connections, its own and those handed to Node, and resolves without waiting for timeouts', async () => {
    const own = await startFixture();
    const idle = await RawClient.open(own.server.port);
    await idle.send(request('GET', '/hot'));
    await idle.next();
    const handed = await RawClient.open(own.server.port);
    await handed.send(post('/echo', 'x'));
    expect((await handed.next()).header('connection')).toBe('keep-alive');
    const fresh = await RawClient.open(own.server.port);
    const started = Date.now();
    await own.server.close();
    await Promise.all([idle.closes, handed.closes, fresh.closes]);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(idle.unread + handed.unread + fresh.unread).toBe('');
  });

  it('lets a request in progress finish, then ends its connection', async () => {
    const own = await startFixture();
    const client = await RawClient.open(own.server.port);
    await client.send(request('GET', '/gate'));
    await own.gate.entered.promise;
    const started = Date.now();
    const closed = own.server.close();
    own.gate.release.resolve();
    expect((await client.next()).body.toString()).toBe('gated');
    await client.ends;
    await closed;
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('is idempotent', async () => {
    const own = await startFixture();
    const first = own.server.close();
    expect(own.server.close()).toBe(first);
    await first;
  });
});
