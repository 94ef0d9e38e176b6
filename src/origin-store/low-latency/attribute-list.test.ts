import { describe, expect, it } from 'vitest';
import { readAttributeList } from './attribute-list.js';

describe('readAttributeList', () => {
  it('reads plain and quoted values, commas inside quotes included', () => {
    const attributes = readAttributeList('DURATION=0.40000,URI="part,505.m4s", INDEPENDENT=YES');
    expect(Object.fromEntries(attributes ?? [])).toEqual({ DURATION: '0.40000', URI: 'part,505.m4s', INDEPENDENT: 'YES' });
  });

  it('tolerates a trailing comma and an empty list', () => {
    expect(readAttributeList('TYPE=PART,')?.get('TYPE')).toBe('PART');
    expect(readAttributeList('')?.size).toBe(0);
  });

  it.each(['URI="unterminated', 'NOVALUE', 'URI="a"junk', ',=x'])('refuses %s', (text) => {
    expect(readAttributeList(text)).toBeUndefined();
  });
});
