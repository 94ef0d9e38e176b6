import { describe, expect, it } from 'vitest';
import { checkLowLatencyPlaylist } from './low-latency-rules.js';

/** Two full segments of 2 s in 4 parts of 0.5 s, the third being written (2 parts so far) and a preload hint. */
const GOOD = [
  '#EXTM3U',
  '#EXT-X-VERSION:9',
  '#EXT-X-TARGETDURATION:2',
  '#EXT-X-PART-INF:PART-TARGET=0.5',
  '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.5',
  '#EXT-X-MEDIA-SEQUENCE:10',
  '#EXT-X-MAP:URI="init.mp4"',
  '#EXT-X-PART:DURATION=0.5,URI="s10.p0.m4s",INDEPENDENT=YES',
  '#EXT-X-PART:DURATION=0.5,URI="s10.p1.m4s"',
  '#EXT-X-PART:DURATION=0.5,URI="s10.p2.m4s"',
  '#EXT-X-PART:DURATION=0.5,URI="s10.p3.m4s"',
  '#EXTINF:2.000,',
  's10.m4s',
  '#EXT-X-PART:DURATION=0.5,URI="s11.p0.m4s",INDEPENDENT=YES',
  '#EXT-X-PART:DURATION=0.5,URI="s11.p1.m4s"',
  '#EXT-X-PART:DURATION=0.5,URI="s11.p2.m4s"',
  '#EXT-X-PART:DURATION=0.46,URI="s11.p3.m4s"',
  '#EXTINF:1.960,',
  's11.m4s',
  '#EXT-X-PART:DURATION=0.5,URI="s12.p0.m4s",INDEPENDENT=YES',
  '#EXT-X-PART:DURATION=0.5,URI="s12.p1.m4s"',
  '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="s12.p2.m4s"',
  '',
].join('\n');

const rules = (text: string) => checkLowLatencyPlaylist(text).map((finding) => finding.rule);

describe('checkLowLatencyPlaylist', () => {
  it('passes a well-formed low-latency playlist', () => {
    expect(checkLowLatencyPlaylist(GOOD)).toEqual([]);
  });

  it('has nothing to say about a playlist without parts', () => {
    expect(checkLowLatencyPlaylist('#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\na.ts\n')).toEqual([]);
  });

  it('finds a part longer than PART-TARGET, and a short part that is not the last of its segment', () => {
    const long = GOOD.replace('DURATION=0.5,URI="s10.p1.m4s"', 'DURATION=0.6,URI="s10.p1.m4s"').replace('#EXTINF:2.000,', '#EXTINF:2.1,');
    expect(checkLowLatencyPlaylist(long)).toEqual([
      { rule: 'part-duration', line: 9, message: 'part of 0.6 s is longer than PART-TARGET 0.5 s' },
    ]);
    const short = GOOD.replace('DURATION=0.5,URI="s10.p1.m4s"', 'DURATION=0.3,URI="s10.p1.m4s"').replace('#EXTINF:2.000,', '#EXTINF:1.8,');
    expect(rules(short)).toEqual(['part-too-short']);
  });

  it('finds parts that do not add up to their segment', () => {
    expect(rules(GOOD.replace('#EXTINF:2.000,', '#EXTINF:2.5,'))).toEqual(['parts-sum']);
  });

  it('finds a segment whose first part is not INDEPENDENT, including the one being written', () => {
    expect(rules(GOOD.replace('URI="s11.p0.m4s",INDEPENDENT=YES', 'URI="s11.p0.m4s"'))).toEqual(['independent-first-part']);
    expect(rules(GOOD.replace('URI="s12.p0.m4s",INDEPENDENT=YES', 'URI="s12.p0.m4s"'))).toEqual(['independent-first-part']);
  });

  it('finds a preload hint before the last part', () => {
    const lines = GOOD.trimEnd().split('\n');
    const hint = lines.pop()!;
    lines.splice(lines.length - 1, 0, hint);
    expect(rules(`${lines.join('\n')}\n`)).toEqual(['preload-hint-last']);
  });

  it('wants blocking reload, PART-HOLD-BACK of at least 3 part targets, and PART-INF', () => {
    expect(rules(GOOD.replace('CAN-BLOCK-RELOAD=YES,', ''))).toEqual(['can-block-reload']);
    expect(rules(GOOD.replace('PART-HOLD-BACK=1.5', 'PART-HOLD-BACK=1.0'))).toEqual(['part-hold-back']);
    expect(rules(GOOD.replace(',PART-HOLD-BACK=1.5', ''))).toEqual(['part-hold-back']);
    expect(rules(GOOD.replace('#EXT-X-PART-INF:PART-TARGET=0.5\n', ''))).toEqual(['part-inf']);
  });
});
