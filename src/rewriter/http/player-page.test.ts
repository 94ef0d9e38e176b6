import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { escapeHtml, renderPlayerPage, scriptJson } from './player-page.js';

describe('renderPlayerPage', () => {
  const page = renderPlayerPage({
    source: '../../live/master.m3u8?hlscdn_mode=redirect',
    hlsScript: '../../.hlscdn/hls.min.js',
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
  });

  it('has an inline script that parses', () => {
    const inline = /<script>\n([\s\S]*?)<\/script>/.exec(page)?.[1];
    expect(inline).toBeDefined();
    expect(() => new Script(inline!)).not.toThrow();
  });

  it('cannot be broken out of by a hostile path', () => {
    const hostile = renderPlayerPage({ source: '</script><script>alert(1)</script>', hlsScript: 'x"><img src=x>', title: '<b>t</b>' });
    expect(hostile).not.toContain('</script><script>alert(1)');
    expect(hostile).not.toContain('<img');
    expect(hostile).not.toContain('<b>t</b>');
    expect(scriptJson('a</script>\u2028')).toBe('"a\\u003c/script>\\u2028"');
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
