/**
 * A seeded random source for the demo: sfc32 (a small, fast generator with a 128-bit state) seeded through
 * splitmix32, plus the few draws the demo needs and UUIDv7 ids made from it. Same seed → same sequence on
 * every machine and engine (32-bit integer arithmetic; draws use only +, ×, / and sqrt, which IEEE 754 rounds
 * exactly).
 */

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class DemoRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    const mix = splitmix32(seed);
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** A uniform number in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /**
   * A wait with the given mean, skewed towards short waits with a tail to about four times the mean (the product
   * of two uniforms, scaled). Only +, × and sqrt: exactly the same result on every JavaScript engine, which
   * transcendental functions (log, pow) do not promise.
   */
  wait(mean: number): number {
    return 4 * mean * this.next() * this.next();
  }

  /** A number in [0, 1) skewed towards 0 (u^1.5): picks that favour the start of a list. */
  skewed(): number {
    const u = this.next();
    return u * Math.sqrt(u);
  }

  /** A UUIDv7 (RFC 9562) for the given Unix milliseconds, its 74 random bits from this source. */
  uuidv7(ms: number): string {
    const r0 = this.uint32();
    const r1 = this.uint32();
    const r2 = this.uint32();
    const high = Math.floor(ms / 2 ** 32);
    const low = ms >>> 0;
    return (
      HEX[(high >>> 8) & 0xff]! +
      HEX[high & 0xff]! +
      HEX[(low >>> 24) & 0xff]! +
      HEX[(low >>> 16) & 0xff]! +
      '-' +
      HEX[(low >>> 8) & 0xff]! +
      HEX[low & 0xff]! +
      '-' +
      HEX[0x70 | ((r0 >>> 28) & 0x0f)]! +
      HEX[(r0 >>> 20) & 0xff]! +
      '-' +
      HEX[0x80 | ((r0 >>> 14) & 0x3f)]! +
      HEX[(r0 >>> 6) & 0xff]! +
      '-' +
      HEX[r1 >>> 24]! +
      HEX[(r1 >>> 16) & 0xff]! +
      HEX[(r1 >>> 8) & 0xff]! +
      HEX[r1 & 0xff]! +
      HEX[r2 >>> 24]! +
      HEX[(r2 >>> 16) & 0xff]!
    );
  }
}
