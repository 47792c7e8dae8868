/** Applies each sensitive column's mechanism to a row's value; other columns pass through. */
import { usageError } from '../core/errors.js';
import { laplaceMechanism, randomizedResponse } from '../privacy/mechanisms.js';
import type { SensitiveColumn } from './privacy-plan.js';

export type ValueNoise = (value: unknown) => unknown;

/** Noise scales the grid mechanism draws well: past these the output degenerates (all grid 0, or blank). */
const SCALE_RANGE = [1e-9, 1e12] as const;

export function columnNoise(column: SensitiveColumn): ValueNoise {
  if (column.mechanism === 'laplace') {
    const [lo, hi] = column.bounds!;
    const scale = (hi - lo) / column.epsilon;
    if (!(scale >= SCALE_RANGE[0] && scale <= SCALE_RANGE[1]))
      throw usageError(
        `column ${column.name}: noise scale (hi - lo) / epsilon = ${scale} is outside ${SCALE_RANGE[0]}..${SCALE_RANGE[1]}`,
        'Give bounds that fit the column and an epsilon between about 0.001 and 100.',
      );
    const midpoint = (lo + hi) / 2;
    const clamp = column.clamp ? clampTo(lo, hi, column.integer) : (x: number) => x;
    return (value) => {
      // A missing value is noised as the midpoint: releasing "missing" as such would not be private.
      const x = value === null || value === undefined || value === '' ? midpoint : Number(value);
      const noisy = laplaceMechanism(Number.isFinite(x) ? x : midpoint, lo, hi, column.epsilon);
      // Clamping after the noise is post-processing: it reads nothing but the released value.
      return clamp(column.integer ? Math.round(noisy) : noisy);
    };
  }
  // Missing is one more category of the domain, so it is released under the same guarantee.
  const domain = [...column.domain!, null];
  const index = new Map<string | null, number>(domain.map((v, i) => [v, i]));
  return (value) => {
    const key = value === null || value === undefined ? null : String(value);
    return domain[randomizedResponse(index.get(key) ?? -1, domain.length, column.epsilon)];
  };
}

/** Into [lo, hi]; for an integer column into the whole numbers inside it, so rounding cannot step out. */
export function clampTo(lo: number, hi: number, integer: boolean): (x: number) => number {
  const [low, high] = integer && Math.ceil(lo) <= Math.floor(hi) ? [Math.ceil(lo), Math.floor(hi)] : [lo, hi];
  return (x) => Math.min(high, Math.max(low, x));
}
