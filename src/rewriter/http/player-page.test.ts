import { Script, runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { escapeHtml, renderPlayerPage, scriptJson } from './player-page.js';
import { SEGMENT_RETRY_URI_SOURCE } from './player-shaka.js';

const inlineScript = (page: string) => /<script>\n([\s\S]*?)<\/script>/.exec(page)?.[1];

describe('renderPlayerPage with hls.js', () => {
  const page = renderPlayerPage({
    source: '../../live/master.m3u8?hlscdn_mode=redirect',
    playerScript: '../../.hlscdn/hls.min.js',
    title: 'live/master.m3u8',
  });

  it('loads hls.js from the rewriter, never from a CDN', () => {
    expect(page).toContain('<script src="../../.hlscdn/hls.min.js"></script>');
    expect(page).not.toMatch(/https?:\/\//);
  });

  it('plays the given source and reads the edge id and the stalls', () => {
    expect(page).toContain('const SOURCE = "../../live/master.m3u8?hlscdn_mode=redirect";');
    expect(page).toContain("'x-edge-id'");
    expect(page).toContain('BUFFER_STALLED_ERROR');
    expect(page).toContain('playingDate');
    expect(page).toContain('const HLS_CONFIG = {"lowLatencyMode":true');
  });

  it('has an inline script that parses', () => {
    const inline = inlineScript(page);
    expect(inline).toBeDefined();
    expect(() => new Script(inline!)).not.toThrow();
  });

  it('cannot be broken out of by a hostile path', () => {
    const hostile = renderPlayerPage({ source: '</script><script>alert(1)</script>', playerScript: 'x"><img src=x>', title: '<b>t</b>' });
    expect(hostile).not.toContain('</script><script>alert(1)');
    expect(hostile).not.toContain('<img');
    expect(hostile).not.toContain('<b>t</b>');
    expect(scriptJson('a</script>\u2028')).toBe('"a\\u003c/script>\\u2028"');
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('renderPlayerPage with Shaka Player', () => {
  const page = renderPlayerPage({
    source: '../../live/master.m3u8',
    player: 'shaka',
    playerScript: '../../.hlscdn/shaka-player.compiled.js',
    edgePathPrefix: '/store',
    title: 'live/master.m3u8',
  });

  it('loads Shaka from the rewriter with short timeouts and a second URI per segment', () => {
    expect(page).toContain('<script src="../../.hlscdn/shaka-player.compiled.js"></script>');
    expect(page).not.toContain('hls.min.js');
    expect(page).toContain('"connectionTimeout":1000');
    expect(page).toContain('registerRequestFilter');
    expect(page).toContain('const EDGE_PATH_PREFIX = "/store";');
    expect(() => new Script(inlineScript(page)!)).not.toThrow();
  });
});

describe('segmentRetryUri (the Shaka page retry target)', () => {
  const retryUri = (uri: string, prefix = '') =>
    runInNewContext(`${SEGMENT_RETRY_URI_SOURCE}; segmentRetryUri(uri, 'http://rw:8080', prefix)`, { URL, uri, prefix }) as string;

  it('asks the rewriter for the second-choice edge of a segment it redirects', () => {
    expect(retryUri('http://rw:8080/live/v0/seg1.ts?hlscdn_mode=redirect')).toBe(
      'http://rw:8080/live/v0/seg1.ts?hlscdn_mode=redirect&hlscdn_backup=1',
    );
    expect(retryUri('http://rw:8080/live/v0/seg1.ts')).toBe('http://rw:8080/live/v0/seg1.ts?hlscdn_backup=1');
  });

  it('asks the rewriter for another edge than the one that failed, keeping the query byte for byte', () => {
    expect(retryUri('http://127.0.0.1:8101/live/v0/seg1.ts?md5=a+b%2F&expires=9')).toBe(
      'http://rw:8080/live/v0/seg1.ts?md5=a+b%2F&expires=9&hlscdn_avoid=127.0.0.1%3A8101',
    );
  });

  it("strips the origin base's path prefix from edge paths", () => {
    expect(retryUri('http://edge/store/live/seg1.ts', '/store')).toBe('http://rw:8080/live/seg1.ts?hlscdn_avoid=edge');
    expect(retryUri('http://edge/storefront/seg1.ts', '/store')).toBe('http://rw:8080/storefront/seg1.ts?hlscdn_avoid=edge');
  });
});
