import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createKeyHasher, DualMurmur3, hashToUnit, murmur3x86_32, utf8ByteLength } from './hash-to-unit.js';

describe('murmur3x86_32', () => {
  // Published MurmurHash3 x86_32 vectors, so another language can re-implement the lane.
  it.each([
    ['', 0, 0],
    ['', 1, 0x514e28b7],
    ['', 0xffffffff, 0x81f16f39],
    ['\0\0\0\0', 0, 0x2362f9de],
    ['aaaa', 0x9747b28c, 0x5a97808a],
    ['Hello, world!', 0x9747b28c, 0x24884cba],
    ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
    ['hello', 0, 0x248bfa47],
    ['hello, world', 0, 0x149bbb7f],
  ])('hashes %j with seed %d to the reference value', (text, seed, expected) => {
    expect(murmur3x86_32(text, seed)).toBe(expected);
  });
});

describe('DualMurmur3.writeUtf8', () => {
  const anyUtf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)) });

  it('hashes exactly the bytes TextEncoder produces, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.oneof(anyUtf16, fc.string({ unit: 'binary' })), (text) => {
        const streamed = new DualMurmur3().writeUtf8(text).digest();
        const encoded = new DualMurmur3().writeBytes(new TextEncoder().encode(text)).digest();
        expect(streamed).toEqual(encoded);
        expect(utf8ByteLength(text)).toBe(new TextEncoder().encode(text).length);
      }),
    );
  });

  it('encodes non-ASCII keys as UTF-8', () => {
    expect(utf8ByteLength('é')).toBe(2);
    expect(utf8ByteLength('€')).toBe(3);
    expect(utf8ByteLength('🎬')).toBe(4);
    expect(utf8ByteLength('\ud800')).toBe(3); // U+FFFD
  });

  it('continues from a clone exactly as from one stream', () => {
    const prefix = new DualMurmur3().writeUtf8('segment-');
    const continued = prefix.clone().writeUtf8('42.ts').digest();
    expect(continued).toEqual(new DualMurmur3().writeUtf8('segment-42.ts').digest());
    expect(prefix.digest()).toEqual(new DualMurmur3().writeUtf8('segment-').digest());
  });
});

describe('hashToUnit', () => {
  it('keeps the values every rewriter in the fleet must agree on', () => {
    // Changing these moves nearly every key to another edge: only ever on purpose.
    expect(hashToUnit('video/720p/seg-1.ts', 'edge-a')).toBe(0.3119991402224799);
    expect(hashToUnit('', '')).toBe(0.2916476294267675);
    expect(hashToUnit('live/abc/init.mp4', 'edge-eu-1')).toBe(0.15475744815982406);
  });

  it('is strictly inside (0, 1) for any key and edge id', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (key, edgeId) => {
        const h = hashToUnit(key, edgeId);
        expect(h).toBeGreaterThan(0);
        expect(h).toBeLessThan(1);
      }),
    );
  });

  it('separates the key from the edge id', () => {
    expect(hashToUnit('ab', 'c')).not.toBe(hashToUnit('a', 'bc'));
    expect(hashToUnit('', 'abc')).not.toBe(hashToUnit('abc', ''));
  });

  it('agrees with the per-key hasher used for ranking', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (key, edgeId) => {
        expect(createKeyHasher(key)(edgeId)).toBe(hashToUnit(key, edgeId));
      }),
    );
  });

  it('spreads keys evenly over (0, 1)', () => {
    const buckets = 100;
    const samples = 100_000;
    const counts = new Array<number>(buckets).fill(0);
    for (let i = 0; i < samples; i += 1) {
      const bucket = Math.floor(hashToUnit(`stream/480p/segment-${i}.m4s`, 'edge-7') * buckets);
      counts[bucket] = (counts[bucket] ?? 0) + 1;
    }
    const expected = samples / buckets;
    const chiSquare = counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    // 99 degrees of freedom: the 0.1% critical value is about 148.2.
    expect(chiSquare).toBeLessThan(148.2);
  });

  it('gives unrelated values for neighbouring edge ids (the HRW per-edge draws)', () => {
    const samples = 20_000;
    let agree = 0;
    for (let i = 0; i < samples; i += 1) {
      if (hashToUnit(`k${i}`, 'edge-1') < 0.5 === hashToUnit(`k${i}`, 'edge-2') < 0.5) agree += 1;
    }
    expect(agree / samples).toBeGreaterThan(0.48);
    expect(agree / samples).toBeLessThan(0.52);
  });
});
