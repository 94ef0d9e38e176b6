import { describe, expect, it } from 'vitest';
import { appendQuery, basePathPrefix, joinBase, originPathOf, relativeReference, rewriterPathOf } from './url-mapping.js';

describe('origin paths', () => {
  const root = new URL('http://origin:8080');
  const prefixed = new URL('http://origin:8080/store/');

  it('maps origin URLs under the base to rewriter paths, and nothing else', () => {
    expect(rewriterPathOf(new URL('http://origin:8080/live/a.ts?x=1'), root)).toBe('/live/a.ts');
    expect(rewriterPathOf(new URL('http://origin:8080/store/live/a.ts'), prefixed)).toBe('/live/a.ts');
    expect(rewriterPathOf(new URL('http://origin:8080/storex/a.ts'), prefixed)).toBeUndefined();
    expect(rewriterPathOf(new URL('http://origin:9090/live/a.ts'), root)).toBeUndefined();
    expect(rewriterPathOf(new URL('https://keys.example.com/k1'), root)).toBeUndefined();
  });

  it('maps rewriter paths back under the base path', () => {
    expect([basePathPrefix(root), basePathPrefix(prefixed)]).toEqual(['', '/store']);
    expect(originPathOf('/live/a.ts', prefixed)).toBe('/store/live/a.ts');
    expect(originPathOf('/live/a.ts', root)).toBe('/live/a.ts');
  });

  it('joins bases with or without a trailing slash', () => {
    expect(joinBase('http://e1:81/', '/a.ts?x')).toBe('http://e1:81/a.ts?x');
    expect(joinBase('http://e1:81', '/a.ts')).toBe('http://e1:81/a.ts');
    expect(joinBase('https://cdn.example/edge-1/', '/a.ts')).toBe('https://cdn.example/edge-1/a.ts');
  });
});

describe('relativeReference', () => {
  const cases: Array<[string, string, string]> = [
    ['/live/master.m3u8', '/live/v0/index.m3u8', 'v0/index.m3u8'],
    ['/live/v0/index.m3u8', '/live/v0/seg1.ts', 'seg1.ts'],
    ['/live/v0/index.m3u8', '/live/audio/en.m3u8', '../audio/en.m3u8'],
    ['/a/b/c/index.m3u8', '/x.ts', '../../../x.ts'],
    ['/index.m3u8', '/a/b.ts', 'a/b.ts'],
    ['/live/v0/index.m3u8', '/live/v0/a:b.ts', './a:b.ts'],
    ['/play/live/master.m3u8', '/live/master.m3u8', '../../live/master.m3u8'],
    ['/live/v0/index.m3u8', '/live/v0/', './'],
  ];

  it.each(cases)('from %s to %s is %s, and resolves back to the target', (from, to, expected) => {
    const reference = relativeReference(from, to);
    expect(reference).toBe(expected);
    expect(new URL(reference, `http://rewriter${from}`).pathname).toBe(to);
  });
});

describe('appendQuery', () => {
  it('adds to an empty or existing query', () => {
    expect([appendQuery('', 'm=1'), appendQuery('?a=1', 'm=1'), appendQuery('?a=1', ''), appendQuery('?', 'm=1')]).toEqual([
      '?m=1',
      '?a=1&m=1',
      '?a=1',
      '?m=1',
    ]);
  });
});
