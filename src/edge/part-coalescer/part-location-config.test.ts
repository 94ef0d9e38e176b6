/**
 * The nginx side of the coalescer: the options that route LL-HLS parts to it and what
 * the template renders for them (rendering is pure; ll-parts.integration.test.ts runs it).
 */
import { describe, expect, it } from 'vitest';
import { parseEdgeConfigOptions, renderEdgeConfig, type EdgeConfigInput } from '../nginx-config/index.js';

const base: EdgeConfigInput = {
  edgeId: 'edge-7',
  listenPort: 8080,
  statusPort: 8081,
  origins: ['http://origin-a:9000'],
  cacheDir: '/var/cache/hlscdn',
  prefixDir: '/var/lib/hlscdn/edge-7',
};
const SECRET = 'integration-secret-0123456789';

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Lines of the block that `header` opens (nested blocks included). */
function block(text: string, header: string): string[] {
  const all = lines(text);
  const start = all.indexOf(header);
  expect(start, `no "${header}"`).toBeGreaterThanOrEqual(0);
  let depth = 0;
  const out: string[] = [];
  for (const line of all.slice(start)) {
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    out.push(line);
    if (depth === 0) break;
  }
  return out;
}

function fieldsOf(input: unknown): string[] {
  const result = parseEdgeConfigOptions(input);
  return result.ok ? [] : result.error.issues.map((issue) => issue.field);
}

const PART_LOCATION = 'location ~ "/part[0-9]+\\.m4s$" {';

describe('LL-HLS part location', () => {
  it('is off by default: parts go through location / and its cache lock', () => {
    const parsed = parseEdgeConfigOptions(base);
    expect(parsed.ok && parsed.value.partCoalescer).toEqual({
      enabled: false,
      host: '127.0.0.1',
      pathPattern: '/part[0-9]+\\.m4s$',
      keepalive: 64,
    });
    const text = renderEdgeConfig(base);
    expect(text).not.toContain('hlscdn_part_coalescer');
    expect(block(text, 'location / {')).toContain('proxy_pass http://hlscdn_origin;');
  });

  it('sends parts to the loopback coalescer with the cache lock off, still caching them under $uri', () => {
    const text = renderEdgeConfig({ ...base, partCoalescer: { enabled: true, port: 9301 } });
    expect(block(text, 'upstream hlscdn_part_coalescer {')).toEqual([
      'upstream hlscdn_part_coalescer {',
      'server 127.0.0.1:9301;',
      'keepalive 64;',
      '}',
    ]);
    expect(block(text, PART_LOCATION)).toEqual([
      PART_LOCATION,
      'proxy_cache_key $uri;',
      'proxy_cache_lock off;',
      'proxy_cache_valid 200 604800s;',
      'proxy_cache_valid 404 1s;',
      'proxy_next_upstream error;',
      'proxy_pass http://hlscdn_part_coalescer;',
      '}',
    ]);
    // nginx tries regex locations in order: playlists are matched before parts, whatever the pattern.
    const all = lines(text);
    expect(all.indexOf('location ~* \\.m3u8$ {')).toBeLessThan(all.indexOf(PART_LOCATION));
    // Everything else still has the lock.
    expect(all).toContain('proxy_cache_lock on;');
  });

  it('checks signed URLs or session links on parts as on segments', () => {
    const signed = block(
      renderEdgeConfig({ ...base, partCoalescer: { enabled: true, port: 9301 }, signedUrls: { enabled: true, secret: SECRET } }),
      PART_LOCATION,
    );
    expect(signed).toEqual(
      expect.arrayContaining(['secure_link $arg_md5,$arg_expires;', `secure_link_md5 "$secure_link_expires$uri ${SECRET}";`]),
    );
    const session = block(
      renderEdgeConfig({ ...base, partCoalescer: { enabled: true, port: 9301 }, sessionLinks: { enabled: true, secret: SECRET } }),
      PART_LOCATION,
    );
    expect(session).toEqual(expect.arrayContaining(['secure_link $arg_hs_sig,$arg_hs_exp;', 'if ($hlscdn_session_in_scope = 0) {']));
  });

  it('takes a custom pattern, an IPv6 loopback and a keepalive count', () => {
    const text = renderEdgeConfig({
      ...base,
      partCoalescer: { enabled: true, port: 9301, host: '::1', keepalive: 8, pathPattern: '/(part|p)[0-9]{1,9}\\.(m4s|mp4)$' },
    });
    expect(lines(text)).toEqual(
      expect.arrayContaining(['server [::1]:9301;', 'keepalive 8;', 'location ~ "/(part|p)[0-9]{1,9}\\.(m4s|mp4)$" {']),
    );
  });

  it('requires a port when enabled and a loopback host', () => {
    expect(fieldsOf({ ...base, partCoalescer: { enabled: true } })).toEqual(['partCoalescer.port']);
    expect(fieldsOf({ ...base, partCoalescer: { enabled: true, port: 9301, host: '10.0.0.1' } })).toEqual(['partCoalescer.host']);
    expect(fieldsOf({ ...base, partCoalescer: { enabled: true, port: 9301, extra: 1 } })).toEqual(['partCoalescer.extra']);
  });

  it('refuses patterns that could rewrite the config or that nginx would read differently', () => {
    for (const pattern of [
      '/part"; return 200 "x',
      '/part [0-9]',
      '/part#',
      "/part'",
      '/part\\n',
      '/part\\\\.m4s',
      '/part[0-9',
      '',
      `/${'a'.repeat(200)}`,
    ]) {
      expect(fieldsOf({ ...base, partCoalescer: { enabled: true, port: 9301, pathPattern: pattern } }), pattern).toContain(
        'partCoalescer.pathPattern',
      );
    }
  });
});
