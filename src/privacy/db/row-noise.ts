/** Applies each sensitive column's mechanism to a row's value; other columns pass through. */
import { laplaceMechanism, randomizedResponse } from '../mechanisms.js';
import type { SensitiveColumn } from './privacy-plan.js';

export type ValueNoise = (value: unknown) => unknown;

export function columnNoise(column: SensitiveColumn): ValueNoise {
  if (column.mechanism === 'laplace') {
    const [lo, hi] = column.bounds!;
    const midpoint = (lo + hi) / 2;
    return (value) => {
      // A missing value is noised as the midpoint: releasing "missing" as such would not be private.
      const x = value === null || value === undefined || value === '' ? midpoint : Number(value);
      const noisy = laplaceMechanism(Number.isFinite(x) ? x : midpoint, lo, hi, column.epsilon);
      return column.integer ? Math.round(noisy) : noisy;
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
