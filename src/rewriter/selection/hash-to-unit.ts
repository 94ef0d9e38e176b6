/**
 * The hash behind edge selection: maps (key, edge id) to a number strictly inside (0, 1).
 *
 * Several rewriter processes must pick the same edge for the same segment, possibly on
 * different platforms or versions, so the algorithm is fixed and spelled out here to be
 * re-implementable byte for byte in any language:
 *
 *   message = u32le(utf8Length(key)) ‖ utf8(key) ‖ utf8(edgeId)
 *   hi = murmur3_x86_32(message, SEED_HIGH), lo = murmur3_x86_32(message, SEED_LOW)
 *   h  = ((hi >>> 12) * 2^32 + lo + 0.5) / 2^52
 *
 * The length prefix keeps ("ab", "c") and ("a", "bc") apart. Strings are encoded as
 * UTF-8 the way WHATWG TextEncoder does (a lone surrogate becomes U+FFFD). 52 bits, not
 * 53, so that `x + 0.5` is exact in a double and h can be neither 0 nor 1 (ln(h) must be
 * finite and non-zero for the HRW score). Changing anything here moves nearly every
 * key to another edge and empties the caches: the golden values in the test pin it.
 */

// MurmurHash3 x86_32 constants (Austin Appleby, SMHasher, public domain algorithm).
const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
/** Seeds of the two lanes; arbitrary but fixed forever (see header). */
export const SEED_HIGH = 0x68_6c_73_63; // "hlsc"
export const SEED_LOW = 0x9e_37_79_b9; // 2^32 / golden ratio
const TWO_POW_32 = 0x1_0000_0000;
const TWO_POW_52 = 2 ** 52;

const rotl32 = (x: number, r: number): number => (x << r) | (x >>> (32 - r));

function scrambleBlock(k: number): number {
  return Math.imul(rotl32(Math.imul(k, C1), 15), C2);
}

function mixBlock(h: number, k: number): number {
  return (Math.imul(rotl32(h ^ scrambleBlock(k), 13), 5) + 0xe6546b64) | 0;
}

function finalMix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Two MurmurHash3 x86_32 lanes fed the same byte stream, so a key's prefix can be hashed
 * once and then continued for every edge id (see {@link createKeyHasher}).
 */
export class DualMurmur3 {
  private high: number;
  private low: number;
  private block = 0;
  private blockBytes = 0;
  private length = 0;

  constructor(seedHigh: number = SEED_HIGH, seedLow: number = SEED_LOW) {
    this.high = seedHigh | 0;
    this.low = seedLow | 0;
  }

  clone(): DualMurmur3 {
    const copy = new DualMurmur3(this.high, this.low);
    copy.block = this.block;
    copy.blockBytes = this.blockBytes;
    copy.length = this.length;
    return copy;
  }

  writeByte(byte: number): this {
    this.block |= (byte & 0xff) << (8 * this.blockBytes);
    this.blockBytes += 1;
    this.length += 1;
    if (this.blockBytes === 4) {
      this.high = mixBlock(this.high, this.block);
      this.low = mixBlock(this.low, this.block);
      this.block = 0;
      this.blockBytes = 0;
    }
    return this;
  }

  writeBytes(bytes: Uint8Array): this {
    for (const byte of bytes) this.writeByte(byte);
    return this;
  }

  writeUint32LE(value: number): this {
    return this.writeByte(value)
      .writeByte(value >>> 8)
      .writeByte(value >>> 16)
      .writeByte(value >>> 24);
  }

  /** Feeds the UTF-8 encoding of `text` without allocating an encoded copy. */
  writeUtf8(text: string): this {
    forEachCodePoint(text, (codePoint) => {
      if (codePoint < 0x80) {
        this.writeByte(codePoint);
      } else if (codePoint < 0x800) {
        this.writeByte(0xc0 | (codePoint >> 6)).writeByte(0x80 | (codePoint & 0x3f));
      } else if (codePoint < 0x10000) {
        this.writeByte(0xe0 | (codePoint >> 12))
          .writeByte(0x80 | ((codePoint >> 6) & 0x3f))
          .writeByte(0x80 | (codePoint & 0x3f));
      } else {
        this.writeByte(0xf0 | (codePoint >> 18))
          .writeByte(0x80 | ((codePoint >> 12) & 0x3f))
          .writeByte(0x80 | ((codePoint >> 6) & 0x3f))
          .writeByte(0x80 | (codePoint & 0x3f));
      }
    });
    return this;
  }

  /** Both lanes' final 32-bit hashes, unsigned; does not change the running state. */
  digest(): { high: number; low: number } {
    return { high: this.finish(this.high), low: this.finish(this.low) };
  }

  private finish(h: number): number {
    if (this.blockBytes > 0) h ^= scrambleBlock(this.block);
    return finalMix(h ^ this.length);
  }
}

/** Visits the code points of `text` as UTF-8 would encode them: lone surrogates become U+FFFD. */
function forEachCodePoint(text: string, visit: (codePoint: number) => void): void {
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) {
      visit(unit);
      continue;
    }
    const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
    if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      visit(0x10000 + ((unit - 0xd800) << 10) + (next - 0xdc00));
      i += 1;
    } else {
      visit(0xfffd);
    }
  }
}

export function utf8ByteLength(text: string): number {
  let length = 0;
  forEachCodePoint(text, (codePoint) => {
    length += codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
  });
  return length;
}

/** MurmurHash3 x86_32 of the UTF-8 bytes of `text`, unsigned; exported to test against the reference vectors. */
export function murmur3x86_32(text: string, seed: number): number {
  return new DualMurmur3(seed, seed).writeUtf8(text).digest().low;
}

function toUnit({ high, low }: { high: number; low: number }): number {
  return ((high >>> 12) * TWO_POW_32 + low + 0.5) / TWO_POW_52;
}

/**
 * Returns `edgeId => hashToUnit(key, edgeId)` with the key's bytes hashed once, for
 * ranking one key against many edges.
 */
export function createKeyHasher(key: string): (edgeId: string) => number {
  const prefix = new DualMurmur3().writeUint32LE(utf8ByteLength(key)).writeUtf8(key);
  return (edgeId) => toUnit(prefix.clone().writeUtf8(edgeId).digest());
}

/** Uniform, deterministic hash of (key, edge id) in (0, 1), exclusive at both ends. */
export function hashToUnit(key: string, edgeId: string): number {
  return createKeyHasher(key)(edgeId);
}
