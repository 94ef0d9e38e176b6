import { describe, expect, it } from 'vitest';
import { playlistFacts } from '../../../test/support/playlist-oracle.js';
import { addBackupPathways } from './backup-pathways.js';

const backupUri = (uri: string) => `${uri}${uri.includes('?') ? '&' : '?'}hlscdn_backup=1`;

describe('addBackupPathways', () => {
  it('lists every variant twice, primary first, the backup on its own pathway and renditions', () => {
    const master = [
      '#EXTM3U',
      '#EXT-X-INDEPENDENT-SEGMENTS',
      '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="en",DEFAULT=YES,URI="audio/en.m3u8"',
      '#EXT-X-STREAM-INF:BANDWIDTH=2000000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2",AUDIO="aud"',
      '720p/index.m3u8?hlscdn_mode=absolute',
      '#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360',
      '360p/index.m3u8',
      '#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=90000,URI="720p/iframes.m3u8"',
      '',
    ].join('\n');
    expect(addBackupPathways(master, { backupUri })).toBe(
      [
        '#EXTM3U',
        '#EXT-X-INDEPENDENT-SEGMENTS',
        '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="en",DEFAULT=YES,URI="audio/en.m3u8"',
        '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud-BACKUP",NAME="en",DEFAULT=YES,URI="audio/en.m3u8?hlscdn_backup=1"',
        '#EXT-X-STREAM-INF:BANDWIDTH=2000000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2",AUDIO="aud",PATHWAY-ID="PRIMARY"',
        '720p/index.m3u8?hlscdn_mode=absolute',
        '#EXT-X-STREAM-INF:BANDWIDTH=2000000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2",AUDIO="aud-BACKUP",PATHWAY-ID="BACKUP"',
        '720p/index.m3u8?hlscdn_mode=absolute&hlscdn_backup=1',
        '#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,PATHWAY-ID="PRIMARY"',
        '360p/index.m3u8',
        '#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,PATHWAY-ID="BACKUP"',
        '360p/index.m3u8?hlscdn_backup=1',
        '#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=90000,URI="720p/iframes.m3u8",PATHWAY-ID="PRIMARY"',
        '#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=90000,URI="720p/iframes.m3u8?hlscdn_backup=1",PATHWAY-ID="BACKUP"',
        '',
      ].join('\n'),
    );
  });

  it('reads, with an independent parser, as the same variants twice', () => {
    const master = '#EXTM3U\r\n#EXT-X-STREAM-INF:BANDWIDTH=1,RESOLUTION=2x2\r\na.m3u8\r\n#EXT-X-STREAM-INF:BANDWIDTH=3\r\nb.m3u8\r\n';
    const facts = playlistFacts(addBackupPathways(master, { backupUri }));
    expect(facts.variants.map((v) => [v.bandwidth, v.name])).toEqual([
      [1, 'a.m3u8'],
      [1, 'a.m3u8'],
      [3, 'b.m3u8'],
      [3, 'b.m3u8'],
    ]);
  });

  it('keeps line endings and leaves a master that already names pathways or steers as it is', () => {
    const crlf = '#EXTM3U\r\n#EXT-X-STREAM-INF:BANDWIDTH=1\r\na.m3u8\r\n';
    expect(addBackupPathways(crlf, { backupUri })).toBe(
      '#EXTM3U\r\n#EXT-X-STREAM-INF:BANDWIDTH=1,PATHWAY-ID="PRIMARY"\r\na.m3u8\r\n#EXT-X-STREAM-INF:BANDWIDTH=1,PATHWAY-ID="BACKUP"\r\na.m3u8?hlscdn_backup=1\r\n',
    );
    const steered = '#EXTM3U\n#EXT-X-CONTENT-STEERING:SERVER-URI="s.json"\n#EXT-X-STREAM-INF:BANDWIDTH=1\na.m3u8\n';
    expect(addBackupPathways(steered, { backupUri })).toBe(steered);
    const named = '#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1,PATHWAY-ID="cdn-a"\na.m3u8\n';
    expect(addBackupPathways(named, { backupUri })).toBe(named);
  });
});
