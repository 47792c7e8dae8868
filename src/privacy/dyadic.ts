/**
 * Doubles read exactly as dyadic rationals (mantissa * 2^exponent), so the mechanisms can round to
 * a power-of-two grid and build the noise parameters with integer arithmetic, without the
 * rounding of a floating-point division or logarithm ever touching the private value.
 */

export interface Dyadic {
  /** Signed integer mantissa. */
  readonly mantissa: bigint;
  readonly exponent: number;
}

const float = new Float64Array(1);
const word = new BigUint64Array(float.buffer);

/** The exact value of a finite double as mantissa * 2^exponent. */
export function toDyadic(x: number): Dyadic {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  float[0] = x;
  const bits = word[0];
  const negative = bits >> 63n === 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  // Subnormals have no implicit leading bit and the exponent of the smallest normal.
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  return { mantissa: negative ? -mantissa : mantissa, exponent };
}

/** A positive finite double as an exact fraction numerator / denominator of integers. */
export function toFraction(x: number): { numerator: bigint; denominator: bigint } {
  if (!(x > 0)) throw new RangeError(`not a positive number: ${x}`);
  let { mantissa, exponent } = toDyadic(x);
  // In lowest terms: the samplers' cost grows with the size of the integers.
  if (exponent < 0) {
    const trailingZeros = Math.min(-exponent, (mantissa & -mantissa).toString(2).length - 1);
    mantissa >>= BigInt(trailingZeros);
    exponent += trailingZeros;
  }
  return exponent >= 0
    ? { numerator: mantissa << BigInt(exponent), denominator: 1n }
    : { numerator: mantissa, denominator: 1n << BigInt(-exponent) };
}

/** round(x / 2^grid) exactly, halves rounded up: monotone in x, so [lo, hi] maps into [round(lo), round(hi)]. */
export function roundToGrid(x: number, grid: number): bigint {
  const { mantissa, exponent } = toDyadic(x);
  const shift = exponent - grid;
  if (shift >= 0) return mantissa << BigInt(shift);
  const down = BigInt(-shift);
  return (mantissa + (1n << (down - 1n))) >> down; // >> on BigInt floors, also for negatives
}

/** k * 2^grid as the nearest double (a deterministic function of k: post-processing of a private k). */
export const fromGrid = (k: bigint, grid: number): number => Number(k) * 2 ** grid;

/** The smallest power-of-two exponent e with 2^e >= x, for a positive finite x. */
export function ceilLog2(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`not a positive finite number: ${x}`);
  let e = Math.ceil(Math.log2(x));
  // Math.log2 may be off by one ulp near powers of two; settle it with exact comparisons.
  while (2 ** (e - 1) >= x) e--;
  while (2 ** e < x) e++;
  return e === 0 ? 0 : e; // not -0 from Math.ceil
}
