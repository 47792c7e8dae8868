/** Draws from common distributions on a seeded Rng. */
import type { Rng } from '../rng.js';

/** N(0, 1) by the Box-Muller transform (one of the pair; simple and exact). */
export function standardNormal(rng: Rng): number {
  const u = 1 - rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** Fills `out` with N(0, 1) draws, using both values of each Box-Muller pair. */
export function fillStandardNormal(out: Float32Array, rng: Rng): Float32Array {
  for (let i = 0; i < out.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rng.next()));
    const a = 2 * Math.PI * rng.next();
    out[i] = r * Math.cos(a);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(a);
  }
  return out;
}
