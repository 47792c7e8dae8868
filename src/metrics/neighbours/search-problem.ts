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

/**
 * The queries ordered by their categorical levels, group by group, so that consecutive queries
 * mostly share their mismatch tables (refilling them cost about a tenth of adult's search).
 * Returns the order (sorted position -> original index) and the problem in that order.
 */
export function sortQueriesByCategory(p: SearchProblem): { order: Int32Array; sorted: SearchProblem } {
  const { categories, dim } = p;
  const c = categories.categories;
  const columns = categories.groups.flatMap((g) => g.columns);
  const nq = queryCount(p);
  const levels = categories.queryLevels;
  const order = Int32Array.from({ length: nq }, (_, i) => i).sort((a, b) => {
    for (const k of columns) {
      const d = levels[a * c + k] - levels[b * c + k];
      if (d !== 0) return d;
    }
    return a - b;
  });
  const queries = new Float32Array(p.queries.length);
  const queryLevels = new Int32Array(levels.length);
  order.forEach((original, position) => {
    queries.set(p.queries.subarray(original * dim, (original + 1) * dim), position * dim);
    queryLevels.set(levels.subarray(original * c, (original + 1) * c), position * c);
  });
  return { order, sorted: { ...p, queries, categories: { ...categories, queryLevels } } };
}
