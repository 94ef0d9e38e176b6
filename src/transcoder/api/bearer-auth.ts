/**
 * Bearer-token guard of the control API. No token configured means no API: every
 * request is refused, so a forgotten setting can never leave the API open.
 */
import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { errorBody } from '../../core/http/error-response.js';

export function bearerAuth(token: string | undefined): MiddlewareHandler {
  const expected = token === undefined ? undefined : Buffer.from(token);
  return async function requireBearerToken(c, next) {
    if (expected === undefined) {
      return c.json(
        errorBody('unauthorized', 'the control API is disabled: no API token is configured (set api.token, HLSCDN_API_TOKEN)'),
        401,
        { 'WWW-Authenticate': 'Bearer' },
      );
    }
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const given = match ? Buffer.from(match[1] as string) : undefined;
    if (!given || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return c.json(errorBody('unauthorized', 'missing or wrong bearer token'), 401, { 'WWW-Authenticate': 'Bearer' });
    }
    await next();
  };
}
