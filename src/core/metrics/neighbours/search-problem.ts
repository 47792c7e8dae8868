/** Everything a nearest-neighbour search needs, as plain typed arrays so it can go to a worker. */
import type { CategoryGroups } from './category-groups.js';
import { buildCategoryGroups } from './category-groups.js';
import type { ExactRows } from './distance-space.js';
import { encodeNumeric } from './numeric-encoding.js';

export interface SearchProblem {
  readonly dim: number;
  /** Numeric part of the queries, row-major [nq, dim]. */
  readonly queries: Float32Array;
  /** Numeric part of the references, transposed [dim, nr]. */
  readonly refsT: Float32Array;
  /** Boundaries of the reference sets stacked one after the other, e.g. [0, nR, nR + nH]. */
  readonly segments: readonly number[];
  readonly categories: CategoryGroups;
}

export function searchProblem(queries: ExactRows, refs: ExactRows, segments: readonly number[]): SearchProblem {
  return { ...encodeNumeric(queries, refs), segments, categories: buildCategoryGroups(queries, refs) };
}

export const queryCount = (p: SearchProblem): number => p.queries.length / p.dim;
