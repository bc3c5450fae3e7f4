/** A 32-bit integer hash (lowbias32): spreads nearby seeds and stream numbers apart. */
function hash32(value: number): number {
  let x = value >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

const TWO_POW_32 = 4294967296;

/**
 * A seeded pseudo-random generator (sfc32). Each (seed, stream) pair is an independent
 * sequence, so a partner's rows depend only on the seed and the partner, not on the others.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream = 0) {
    const whole = Math.trunc(seed);
    const low = whole >>> 0;
    const high = Math.floor(whole / TWO_POW_32) >>> 0;
    let state = hash32(low ^ hash32(high + 0x85ebca6b) ^ Math.imul(stream + 1, 0x9e3779b1));
    this.a = state = hash32(state + 0x9e3779b9);
    this.b = state = hash32(state + 0x9e3779b9);
    this.c = state = hash32(state + 0x9e3779b9);
    this.d = hash32(state + stream);
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** The next 32-bit unsigned integer. */
  uint32(): number {
    const t0 = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const t = (t0 + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** An index drawn with the given cumulative weights (ascending, last = total). */
  weighted(cumulative: readonly number[]): number {
    const x = this.next() * cumulative[cumulative.length - 1];
    let i = 0;
    while (cumulative[i] <= x) i++;
    return i;
  }

  /** A standard normal variate (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** A random version-4 GUID in lower case, 8-4-4-4-12. */
  guid(): string {
    const a = hex8(this.uint32());
    const b = hex8(this.uint32());
    const c = hex8(this.uint32());
    const d = hex8(this.uint32());
    const variant = '89ab'[this.uint32() & 3];
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4, 8)}${d}`;
  }
}

const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex8(value: number): string {
  return HEX2[value >>> 24] + HEX2[(value >>> 16) & 255] + HEX2[(value >>> 8) & 255] + HEX2[value & 255];
}

/** Cumulative sums of weights, for `Prng.weighted`. */
export function cumulative(weights: readonly number[]): number[] {
  let total = 0;
  return weights.map((weight) => (total += weight));
}
