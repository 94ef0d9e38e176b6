import { describe, expect, it } from 'vitest';
import type { EdgeConfigInput } from './edge-config-schema.js';
import { EdgeConfigInvalidError, renderEdgeConfig } from './render-edge-config.js';

const base: EdgeConfigInput = {
  edgeId: 'edge-7',
  listenPort: 8080,
  statusPort: 8081,
  origins: ['http://origin-a:9000', 'http://origin-b:9000', 'http://[fd00::3]'],
  cacheDir: '/var/cache/hlscdn',
  prefixDir: '/var/lib/hlscdn/edge-7',
};

/** The rendered text with comments and blank lines removed, one directive line per entry. */
function directives(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Lines of the `location <match> { ... }` block (nested blocks included). */
function locationBlock(text: string, match: string): string[] {
  const lines = directives(text);
  const start = lines.indexOf(`location ${match} {`);
  expect(start).toBeGreaterThanOrEqual(0);
  let depth = 0;
  const block: string[] = [];
  for (const line of lines.slice(start)) {
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    block.push(line);
    if (depth === 0) break;
  }
  return block;
}

describe('renderEdgeConfig', () => {
  const text = renderEdgeConfig(base);
  const lines = directives(text);

  it('runs as a foreground child with everything inside the prefix', () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        'daemon off;',
        'master_process on;',
        'worker_processes 1;',
        'pid /var/lib/hlscdn/edge-7/nginx.pid;',
        'error_log stderr warn;',
        'client_body_temp_path /var/lib/hlscdn/edge-7/client_body_temp;',
        'proxy_temp_path /var/lib/hlscdn/edge-7/proxy_temp;',
        'fastcgi_temp_path /var/lib/hlscdn/edge-7/fastcgi_temp;',
        'uwsgi_temp_path /var/lib/hlscdn/edge-7/uwsgi_temp;',
        'scgi_temp_path /var/lib/hlscdn/edge-7/scgi_temp;',
      ]),
    );
    expect(lines.some((line) => line.startsWith('user '))).toBe(false);
    expect(renderEdgeConfig({ ...base, user: 'root' })).toContain('\nuser root;\n');
  });

  it('makes the first origin primary and the others backups, with bounded retries', () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        'server origin-a:9000 max_fails=1 fail_timeout=10s;',
        'server origin-b:9000 max_fails=1 fail_timeout=10s backup;',
        'server [fd00::3]:80 max_fails=1 fail_timeout=10s backup;',
        'keepalive 16;',
        'proxy_http_version 1.1;',
        'proxy_set_header Connection "";',
        'proxy_next_upstream error timeout http_502 http_503 http_504;',
        'proxy_next_upstream_tries 3;',
      ]),
    );
    expect(renderEdgeConfig({ ...base, originTries: 2 })).toContain('proxy_next_upstream_tries 2;');
  });

  it('bounds the cache and keeps temp files beside it', () => {
    expect(text).toMatch(
      /proxy_cache_path \/var\/cache\/hlscdn\s+levels=1:2\s+keys_zone=hlscdn_edge:32m\s+max_size=1g\s+inactive=86400s\s+use_temp_path=off;/,
    );
    expect(text).not.toContain('min_free');
    expect(renderEdgeConfig({ ...base, cacheMinFree: '2g' })).toMatch(/max_size=1g\s+min_free=2g\s+inactive/);
  });

  it('collapses misses, serves stale and revalidates', () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        'proxy_cache hlscdn_edge;',
        'proxy_cache_lock on;',
        'proxy_cache_lock_timeout 10s;',
        'proxy_cache_lock_age 10s;',
        'proxy_cache_use_stale updating error timeout http_500 http_502 http_503 http_504;',
        'proxy_cache_background_update on;',
        'proxy_cache_revalidate on;',
        'sendfile on;',
        'tcp_nopush on;',
      ]),
    );
    const slow = directives(renderEdgeConfig({ ...base, lockTimeoutSeconds: 25 }));
    expect(slow).toEqual(expect.arrayContaining(['proxy_cache_lock_timeout 25s;', 'proxy_cache_lock_age 25s;']));
  });

  it('keys playlists by path and LL-HLS arguments only, with a short TTL', () => {
    const playlist = locationBlock(text, '~* \\.m3u8$');
    const key = playlist.find((line) => line.startsWith('proxy_cache_key '));
    expect(key).toBe('proxy_cache_key "$scheme$proxy_host$uri|_HLS_msn=$arg__HLS_msn|_HLS_part=$arg__HLS_part|_HLS_skip=$arg__HLS_skip";');
    // Neither the whole query nor $is_args (which a token alone would set) is in the key.
    expect(key).not.toMatch(/\$args|\$is_args|\$request_uri|\$arg_md5|\$arg_expires/);
    expect(playlist).toEqual(expect.arrayContaining(['proxy_cache_valid 200 1s;', 'proxy_cache_valid 404 1s;']));
    expect(playlist.some((line) => line.startsWith('secure_link'))).toBe(false);
    const longer = locationBlock(renderEdgeConfig({ ...base, playlistTtlSeconds: 3 }), '~* \\.m3u8$');
    expect(longer).toContain('proxy_cache_valid 200 3s;');
  });

  it('keys segments and other objects by $uri only, with a long TTL', () => {
    const media = locationBlock(text, '/');
    expect(media).toEqual(
      expect.arrayContaining(['proxy_cache_key $uri;', 'proxy_cache_valid 200 604800s;', 'proxy_pass http://hlscdn_origin;']),
    );
    expect(media.some((line) => line.startsWith('open_file_cache '))).toBe(true);
    expect(media.some((line) => line.startsWith('secure_link'))).toBe(false);
  });

  it('sends CORS and identity headers on every status', () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        'add_header Access-Control-Allow-Origin "*" always;',
        'add_header Access-Control-Expose-Headers "X-Cache-Status, X-Edge-Id, Age, Content-Length, Content-Range, Date" always;',
        'add_header X-Cache-Status $upstream_cache_status always;',
        'add_header X-Edge-Id "edge-7" always;',
        'proxy_hide_header Access-Control-Allow-Origin;',
      ]),
    );
    const addHeaders = lines.filter((line) => line.startsWith('add_header '));
    expect(addHeaders.every((line) => line.endsWith(' always;'))).toBe(true);
  });

  it('answers preflight with 204', () => {
    const at = lines.indexOf('if ($request_method = OPTIONS) {');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe('return 204;');
  });

  it('logs JSON with the fields the agent reads', () => {
    expect(text).toContain('log_format hlscdn_edge escape=json');
    for (const variable of [
      '$msec',
      '$request_uri',
      '$status',
      '$body_bytes_sent',
      '$bytes_sent',
      '$upstream_cache_status',
      '$request_time',
      '$upstream_response_time',
      '$upstream_status',
      '$connection',
    ]) {
      expect(text).toContain(variable);
    }
    expect(lines).toContain('access_log /var/lib/hlscdn/edge-7/access.log hlscdn_edge;');
    expect(renderEdgeConfig({ ...base, accessLogPath: '/var/log/e7.json' })).toContain('access_log /var/log/e7.json hlscdn_edge;');
  });

  it('serves status and health on the loopback listener only', () => {
    expect(lines.filter((line) => line.startsWith('listen '))).toEqual(['listen 0.0.0.0:8080;', 'listen 127.0.0.1:8081;']);
    const statusServer = lines.slice(lines.indexOf('listen 127.0.0.1:8081;'));
    expect(statusServer).toEqual(expect.arrayContaining(['access_log off;', 'stub_status;', 'return 200 "ok";']));
    expect(lines.indexOf('stub_status;')).toBeGreaterThan(lines.indexOf('listen 127.0.0.1:8081;'));
    expect(directives(renderEdgeConfig({ ...base, statusHost: '::1' }))).toContain('listen [::1]:8081;');
  });

  it('checks media links when signing is enabled', () => {
    const signed = renderEdgeConfig({ ...base, signedUrls: { enabled: true, secret: 'k3y-k3y-k3y-k3y-k3y' } });
    const media = locationBlock(signed, '/');
    expect(media.slice(1, 9)).toEqual([
      'secure_link $arg_md5,$arg_expires;',
      'secure_link_md5 "$secure_link_expires$uri k3y-k3y-k3y-k3y-k3y";',
      'if ($secure_link = "") {',
      'return 403;',
      '}',
      'if ($secure_link = "0") {',
      'return 410;',
      '}',
    ]);
    expect(locationBlock(signed, '~* \\.m3u8$').some((line) => line.startsWith('secure_link'))).toBe(false);
  });

  it('leaves a secret out of the text while signing is disabled', () => {
    const text = renderEdgeConfig({ ...base, signedUrls: { enabled: false, secret: 'k3y-k3y-k3y-k3y-k3y' } });
    expect(text).not.toContain('k3y-k3y');
  });

  describe('with session links', () => {
    const secret = 's3ss10n-s3ss10n-s3ss10n';
    const withSessions = renderEdgeConfig({ ...base, sessionLinks: { enabled: true, secret } });
    const checks = [
      'secure_link $arg_hs_sig,$arg_hs_exp;',
      `secure_link_md5 "$secure_link_expires$arg_hs_scope$arg_hs_sid$arg_hs_ip ${secret}";`,
      'if ($secure_link = "") {',
      'return 403;',
      '}',
      'if ($hlscdn_session_in_scope = 0) {',
      'return 403;',
      '}',
      'if ($hlscdn_session_client = 0) {',
      'return 403;',
      '}',
      'if ($secure_link = "0") {',
      'return 410;',
      '}',
    ];

    it('checks the session query on segments and playlists, forged before expired', () => {
      expect(locationBlock(withSessions, '/').slice(1, 1 + checks.length)).toEqual(checks);
      expect(locationBlock(withSessions, '~* \\.m3u8$').slice(1, 1 + checks.length)).toEqual(checks);
    });

    it('checks scope and client with anchored backreference maps', () => {
      const http = directives(withSessions);
      const scope = http.indexOf('map "$uri|$arg_hs_scope" $hlscdn_session_in_scope {');
      expect(http.slice(scope + 1, scope + 3)).toEqual(['"~^(/(?:[A-Za-z0-9._~-]+/)*)[^|]*\\|\\1$" 1;', 'default 0;']);
      const client = http.indexOf('map "$arg_hs_sid|$arg_hs_ip|$remote_addr" $hlscdn_session_client {');
      expect(http.slice(client + 1, client + 4)).toEqual([
        '"~^[A-Za-z0-9_-]{16}\\|\\|" 1;',
        '"~^[A-Za-z0-9_-]{16}\\|([^|]+)\\|\\1$" 1;',
        'default 0;',
      ]);
    });

    it('keeps session parameters and tokens out of every cache key', () => {
      const keys = directives(withSessions).filter((line) => line.startsWith('proxy_cache_key '));
      expect(keys).toHaveLength(3);
      for (const key of keys) expect(key).not.toMatch(/\$args|\$is_args|\$request_uri|\$arg_hs_|\$arg_token|\$arg_md5|\$arg_expires/);
      expect(locationBlock(withSessions, '/')).toContain('proxy_cache_key $uri;');
    });

    it('replaces per-URL signatures when both are enabled', () => {
      const both = renderEdgeConfig({
        ...base,
        signedUrls: { enabled: true, secret: 'k3y-k3y-k3y-k3y-k3y' },
        sessionLinks: { enabled: true, secret },
      });
      const media = locationBlock(both, '/');
      expect(media.filter((line) => line.startsWith('secure_link '))).toEqual(['secure_link $arg_hs_sig,$arg_hs_exp;']);
      expect(both).not.toContain('k3y-k3y');
      expect(both).not.toMatch(/\{\{|\}\}/);
    });

    it('leaves the maps, checks and secret out while disabled', () => {
      const off = renderEdgeConfig({ ...base, sessionLinks: { enabled: false, secret } });
      expect(off).not.toContain(secret);
      expect(off).not.toContain('hlscdn_session');
      expect(off).not.toContain('$arg_hs_');
    });

    it('requires a secret nginx can hold', () => {
      expect(() => renderEdgeConfig({ ...base, sessionLinks: { enabled: true } })).toThrow(/sessionLinks\.secret: is required/);
      expect(() => renderEdgeConfig({ ...base, sessionLinks: { enabled: true, secret: 'abc"; } #-padding' } })).toThrow(
        /sessionLinks\.secret: may hold only/,
      );
      expect(() => renderEdgeConfig({ ...base, sessionLinks: { enabled: true, secret: 'short' } })).toThrow(/at least 16/);
    });
  });

  it('leaves no placeholder behind', () => {
    const everything = renderEdgeConfig({
      ...base,
      user: 'nginx',
      cacheMinFree: '1g',
      signedUrls: { enabled: true, secret: 'k3y-k3y-k3y-k3y-k3y' },
    });
    expect(everything).not.toMatch(/\{\{|\}\}/);
  });

  it('throws a typed error naming the bad fields', () => {
    let thrown: unknown;
    try {
      renderEdgeConfig({ ...base, cacheDir: 'cache', signedUrls: { enabled: true, secret: 'abc; }' } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EdgeConfigInvalidError);
    const error = thrown as EdgeConfigInvalidError;
    expect(error.code).toBe('invalid-config');
    expect(new Set(error.issues.map((issue) => issue.field))).toEqual(new Set(['cacheDir', 'signedUrls.secret']));
  });
});
