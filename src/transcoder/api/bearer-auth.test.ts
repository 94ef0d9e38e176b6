/** Tests of the bearer-token guard. */
import { Hono } from 'hono';
import { describe, it, expect } from 'vitest';
import { bearerAuth } from './bearer-auth.js';

function app(token: string | undefined): Hono {
  const hono = new Hono();
  hono.use('*', bearerAuth(token));
  hono.get('/x', (c) => c.text('ok'));
  return hono;
}

describe('bearerAuth', () => {
  it('lets the right token through', async () => {
    const res = await app('t0ken').request('/x', { headers: { Authorization: 'Bearer t0ken' } });
    expect([res.status, await res.text()]).toEqual([200, 'ok']);
  });

  it.each([
    ['no header', {}],
    ['a wrong token', { Authorization: 'Bearer nope' }],
    ['a longer token', { Authorization: 'Bearer t0ken2' }],
    ['another scheme', { Authorization: 'Basic t0ken' }],
  ])('refuses %s with 401', async (_label, headers) => {
    const res = await app('t0ken').request('/x', { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('refuses everything when no token is configured', async () => {
    const res = await app(undefined).request('/x', { headers: { Authorization: 'Bearer anything' } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toMatch(/no API token is configured/);
  });
});
