/**
 * What each sensitive column's mechanism does to a released value, as figures: the Laplace scale
 * and the bounds it comes from, or randomized response's keep probability and number of
 * categories. Bounds and domains left to be estimated are known only once the table has been read,
 * so before that (a dry run) their figures are absent and `*From` says they will be estimated.
 */
import { keepProbability } from '../privacy/mechanisms.js';
import type { SensitiveColumn } from './privacy-plan.js';

export interface LaplaceFigures {
  readonly name: string;
  readonly mechanism: 'laplace';
  /** This column's epsilon in each released row. */
  readonly epsilon: number;
  /** Absent until estimated bounds are known (a dry run). */
  readonly bounds?: readonly [number, number];
  readonly boundsFrom: 'declared' | 'estimated';
  /** Spent estimating the bounds on the whole table (0 when declared). */
  readonly estimationEpsilon: number;
  /** (hi - lo) / epsilon, once the bounds are known. */
  readonly scale?: number;
  /** The scale over the range, 1 / epsilon: known before the bounds are. */
  readonly scaleToRange: number;
  /** Half the noise draws move a value by more than this: scale * ln 2. */
  readonly medianNoise?: number;
  readonly clamp: boolean;
}

export interface ResponseFigures {
  readonly name: string;
  readonly mechanism: 'randomized_response';
  readonly epsilon: number;
  readonly domainFrom: 'declared' | 'estimated';
  readonly estimationEpsilon: number;
  /** The domain's categories plus "missing", once the domain is known. */
  readonly categories?: number;
  /** The chance a released value is the row's own, e^eps / (e^eps + k - 1); 1 / k would be a uniform guess. */
  readonly keepProbability?: number;
}

export type ColumnFigures = LaplaceFigures | ResponseFigures;

export function columnFigures(column: SensitiveColumn): ColumnFigures {
  const { name, epsilon, estimationEpsilon } = column;
  if (column.mechanism === 'laplace') {
    const scale = column.bounds ? (column.bounds[1] - column.bounds[0]) / epsilon : undefined;
    return {
      name,
      mechanism: 'laplace',
      epsilon,
      ...(column.bounds ? { bounds: column.bounds } : {}),
      boundsFrom: column.source,
      estimationEpsilon,
      ...(scale !== undefined ? { scale, medianNoise: scale * Math.LN2 } : {}),
      scaleToRange: 1 / epsilon,
      clamp: column.clamp,
    };
  }
  // Missing is one more category (row-noise.ts), so it counts in k.
  const categories = column.domain ? column.domain.length + 1 : undefined;
  return {
    name,
    mechanism: 'randomized_response',
    epsilon,
    domainFrom: column.source,
    estimationEpsilon,
    ...(categories !== undefined ? { categories, keepProbability: keepProbability(epsilon, categories) } : {}),
  };
}

/** A numeric column whose noise scale is larger than its range: a released value says little about its row. */
export const noiseExceedsRange = (f: ColumnFigures): f is LaplaceFigures =>
  f.mechanism === 'laplace' && f.scaleToRange > 1;
