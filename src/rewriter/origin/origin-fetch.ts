/**
 * One playlist request to the origin: a deadline over the whole exchange
 * (headers and body), a size limit enforced while reading (a huge or endless
 * body is cut, not buffered), redirects followed (relative URIs resolve
 * against the final URL, REFERENCE: HLS playlists), and every failure mapped
 * to a value the HTTP layer turns into 404, 502 or 504.
 */
import { errorMessage } from '../../core/errors.js';
import { err, ok, type Result } from '../../core/result.js';

export type OriginFailureCode = 'not-found' | 'upstream' | 'timeout' | 'invalid-playlist';

export interface OriginFailure {
  code: OriginFailureCode;
  /** Short, safe to show a viewer. */
  message: string;
}

export interface OriginPlaylist {
  text: string;
  /** URL after redirects: the base for the playlist's relative URIs. */
  url: string;
  cacheControl: string | null;
  age: string | null;
}

export interface OriginFetchOptions {
  timeoutMs: number;
  maxBytes: number;
}

async function readLimited(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** The system error code (ECONNREFUSED...) rather than the message, which names internal addresses. */
function failureCode(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : errorMessage(cause ?? error).slice(0, 80);
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || (error.cause instanceof Error && error.cause.name === 'TimeoutError'));
}

export async function fetchOriginPlaylist(url: string, options: OriginFetchOptions): Promise<Result<OriginPlaylist, OriginFailure>> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await fetch(url, { signal, headers: { accept: 'application/vnd.apple.mpegurl, */*;q=0.8' } });
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel();
      return err({ code: 'not-found', message: 'no such playlist at the origin' });
    }
    if (!response.ok) {
      await response.body?.cancel();
      return err({ code: 'upstream', message: `the origin answered ${response.status}` });
    }
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    let body: Buffer | undefined = Buffer.alloc(0);
    if (declared > options.maxBytes) body = undefined;
    else if (response.body !== null) body = await readLimited(response.body, options.maxBytes);
    if (body === undefined) {
      await response.body?.cancel().catch(() => undefined);
      return err({ code: 'invalid-playlist', message: `the origin's playlist is larger than ${options.maxBytes} bytes` });
    }
    return ok({
      text: body.toString('utf8'),
      url: response.url || url,
      cacheControl: response.headers.get('cache-control'),
      age: response.headers.get('age'),
    });
  } catch (error) {
    if (isTimeout(error) || signal.aborted)
      return err({ code: 'timeout', message: `the origin did not answer within ${options.timeoutMs} ms` });
    return err({ code: 'upstream', message: `the origin is unreachable (${failureCode(error)})` });
  }
}
