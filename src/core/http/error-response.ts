/**
 * The one place where error codes become HTTP statuses, with a JSON body a
 * person can act on: `{ "error": code, "message": "..." }`.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HlscdnError, type ErrorCode } from '../errors.js';
import type { Logger } from '../logger.js';

const statusByCode: Record<ErrorCode, ContentfulStatusCode> = {
  'invalid-config': 500,
  'invalid-input': 400,
  'invalid-key': 400,
  'not-found': 404,
  'precondition-failed': 412,
  'range-not-satisfiable': 416,
  unauthorized: 401,
  conflict: 409,
  unavailable: 503,
  timeout: 504,
  upstream: 502,
  'process-failed': 500,
  internal: 500,
};

export function statusForErrorCode(code: ErrorCode): ContentfulStatusCode {
  return statusByCode[code];
}

export function errorBody(code: string, message: string, details?: Record<string, unknown>): Record<string, unknown> {
  return details && Object.keys(details).length > 0 ? { error: code, message, details } : { error: code, message };
}

/** For `app.onError`: known errors answer with their status; anything else is a logged 500 without internals. */
export function handleHttpError(logger: Logger) {
  return function onHttpError(error: Error, c: Context): Response {
    if (error instanceof HlscdnError) {
      const status = statusForErrorCode(error.code);
      if (status >= 500) logger.warn({ err: error, path: c.req.path }, error.message);
      return c.json(errorBody(error.code, error.message, error.details as Record<string, unknown>), status);
    }
    if (error instanceof HTTPException) {
      const res = error.getResponse();
      if (res.headers.get('content-type')) return res;
      return c.json(
        errorBody(error.status === 401 ? 'unauthorized' : 'http-error', error.message || res.statusText),
        error.status as ContentfulStatusCode,
        Object.fromEntries(res.headers),
      );
    }
    logger.error({ err: error, path: c.req.path }, 'unhandled error');
    return c.json(errorBody('internal', 'internal error'), 500);
  };
}
