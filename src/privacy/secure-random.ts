/**
 * Exact draws from the operating system's CSPRNG for the privacy mechanisms: uniform integers by
 * rejection (never a modulo or a float scaling), and Bernoulli coins with rational probabilities
 * decided by an exact integer comparison. Nothing here can be seeded: noise that can be replayed
 * can be subtracted.
 */
import { randomBytes, randomInt } from 'node:crypto';

const POOL_BYTES = 16 * 1024;
let pool = randomBytes(POOL_BYTES);
let at = 0;

/** The offset of `bytes` fresh random bytes in the pool (each byte is handed out once). */
function take(bytes: number): number {
  if (at + bytes > pool.length) {
    pool = randomBytes(Math.max(POOL_BYTES, bytes));
    at = 0;
  }
  at += bytes;
  return at - bytes;
}

/** A uniform integer with the given number of bits (0 <= bits). */
export function randomBitsBig(bits: number): bigint {
  const words = Math.ceil(bits / 64);
  const start = take(8 * words);
  let value = 0n;
  for (let i = 0; i < words; i++) value = (value << 64n) | pool.readBigUInt64BE(start + 8 * i);
  return value >> BigInt(64 * words - bits);
}

/** 53 uniform bits as an integer in [0, 2^53). */
export function random53(): number {
  const start = take(7);
  return (pool.readUIntBE(start, 3) & 0x1fffff) * 4294967296 + pool.readUInt32BE(start + 3);
}

export const randomBit = (): boolean => (pool[take(1)] & 1) === 1;

/** The number of bits of n >= 1. */
function bitLength(n: bigint): number {
  // The double nearest n has the right exponent except when rounding carried it up; check both ways.
  const estimate = Math.floor(Math.log2(Number(n))) + 1;
  if (!Number.isFinite(estimate)) return n.toString(2).length; // beyond the doubles
  let bits = estimate;
  while (bits > 1 && n >> BigInt(bits - 1) === 0n) bits--;
  while (n >> BigInt(bits) !== 0n) bits++;
  return bits;
}

/** Uniform in [0, n), n >= 1: draw bitLength(n - 1) bits, reject values >= n (fewer than 2 draws on average). */
export function uniformBelowBig(n: bigint): bigint {
  if (n <= 0n) throw new RangeError(`uniformBelowBig needs n >= 1, got ${n}`);
  if (n <= 0xffffffffffffn) return BigInt(randomInt(Number(n))); // node:crypto rejects too, up to 2^48
  const bits = bitLength(n - 1n);
  for (;;) {
    const candidate = randomBitsBig(bits);
    if (candidate < n) return candidate;
  }
}

/**
 * True with probability numerator / denominator exactly (denominator >= 1): compares a uniform real V
 * in [0, 1), drawn lazily, with the fraction. Its first 53 bits almost always settle it against the
 * double quotient, whose error is below 4 units of 2^-53 (three relative roundings of 2^-53 each, on a
 * quotient below 2^53 units);
 * otherwise more bits decide by exact integer comparison.
 */
export function bernoulliRatio(numerator: bigint, denominator: bigint): boolean {
  if (numerator <= 0n) return false;
  if (numerator >= denominator) return true;
  const first = random53();
  const quotient = (Number(numerator) / Number(denominator)) * 2 ** 53;
  if (Number.isFinite(quotient) && quotient > 0) {
    if (first + 1 <= quotient - 8) return true; // all of [first, first + 1) lies below the fraction
    if (first >= quotient + 8) return false; // all of it lies above
  }
  return uniformPrefixBelow(BigInt(first), 53n, numerator, denominator);
}

/**
 * Whether V < numerator / denominator, for a uniform V in [0, 1) whose first `bits` bits are `prefix`:
 * 64 more bits at a time until V's interval [prefix, prefix + 1) / 2^bits lies on one side.
 */
export function uniformPrefixBelow(prefix: bigint, bits: bigint, numerator: bigint, denominator: bigint): boolean {
  for (;;) {
    const target = numerator << bits;
    if ((prefix + 1n) * denominator <= target) return true;
    if (prefix * denominator >= target) return false;
    prefix = (prefix << 64n) | randomBitsBig(64);
    bits += 64n;
  }
}

/** Uniform in [0, 1). */
export type Uniform = () => number;

/** A uniform double in [0, 1) on the 2^-53 grid: for choices that are not noise (the unseeded row sample). */
export const secureUniform = (): Uniform => () => random53() / 2 ** 53;
