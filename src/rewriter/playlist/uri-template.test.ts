import { describe, expect, it } from 'vitest';
import { fillUriTemplate, prepareUriTemplate } from './uri-template.js';

const MEDIA = [
  '#EXTM3U',
  '#EXT-X-TARGETDURATION:2',
  '#EXT-X-MAP:URI="http://e1/live/init.mp4",BYTERANGE="800@0"',
  '#EXT-X-KEY:METHOD=AES-128,URI="http://e1/keys/k1?kid=3",IV=0x1',
  '#EXTINF:2.0,',
  'http://e1/live/seg1.ts',
  '#EXT-X-PART:DURATION=0.5,URI="http://e2/live/seg2.0.m4s"',
  '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="http://e2/live/seg2.1.m4s"',
  '#EXT-X-RENDITION-REPORT:URI="../v1/index.m3u8",LAST-MSN=2',
  '#EXTINF:2.0,',
  'http://e2/live/seg2.ts?md5=x#t=1',
  '',
].join('\r\n');

describe('prepareUriTemplate / fillUriTemplate', () => {
  it('adds the query to every URI line and URI attribute, with ? or & as each needs', () => {
    const filled = fillUriTemplate(prepareUriTemplate(MEDIA), 'hs_sid=abc&hs_exp=9');
    expect(filled).toBe(
      MEDIA.replace('init.mp4"', 'init.mp4?hs_sid=abc&hs_exp=9"')
        .replace('kid=3"', 'kid=3&hs_sid=abc&hs_exp=9"')
        .replace('seg1.ts\r\n', 'seg1.ts?hs_sid=abc&hs_exp=9\r\n')
        .replace('seg2.0.m4s"', 'seg2.0.m4s?hs_sid=abc&hs_exp=9"')
        .replace('seg2.1.m4s"', 'seg2.1.m4s?hs_sid=abc&hs_exp=9"')
        .replace('index.m3u8"', 'index.m3u8?hs_sid=abc&hs_exp=9"')
        .replace('md5=x#t=1', 'md5=x&hs_sid=abc&hs_exp=9#t=1'),
    );
  });

  it('gives back the text itself with an empty template fill of a playlist without URIs, and keeps non-URI attributes', () => {
    const text = '#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-SESSION-DATA:DATA-ID="x",VALUE="http://not/a/uri"\n';
    const template = prepareUriTemplate(text);
    expect(template.joiners).toEqual([]);
    expect(fillUriTemplate(template, 'a=1')).toBe(text);
  });

  it('covers master playlists: variants, renditions, I-frame playlists and the steering server', () => {
    const master = [
      '#EXTM3U',
      '#EXT-X-CONTENT-STEERING:SERVER-URI=".hlscdn/steering",PATHWAY-ID="BALANCED"',
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="en",URI="audio/index.m3u8"',
      '#EXT-X-STREAM-INF:BANDWIDTH=800000,AUDIO="a"',
      'v0/index.m3u8?hlscdn_mode=redirect',
      '#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=100000,URI="v0/iframes.m3u8"',
    ].join('\n');
    const filled = fillUriTemplate(prepareUriTemplate(master), 's=1');
    expect(filled.match(/s=1/g)).toHaveLength(4);
    expect(filled).toContain('\nv0/index.m3u8?hlscdn_mode=redirect&s=1\n');
    expect(filled).toContain('SERVER-URI=".hlscdn/steering?s=1"');
  });
});
