/**
 * Where AIM's measurements read their exact marginal counts (to which the mechanisms add noise):
 * the rows' bin codes in memory, or a statistics source that counts in the database or in DuckDB
 * (source-fit.ts). The rounds see only this.
 */
import { countRows, type Clique } from './factor.js';

export interface MarginalCounts {
  /** Rows counted (read only by the exact rounds, without DP). */
  readonly rows: number;
  /** Rows per cell of the marginal over `clique` (sorted attributes), row-major. */
  count(clique: Clique): Float64Array;
  /**
   * Makes count() ready for these cliques (a source that queries fetches those it cannot project
   * from what it holds); absent where every count is at hand (rows in memory).
   */
  prepare?(cliques: readonly Clique[]): Promise<void>;
}

/** Counts over bin codes in memory, one Int32Array per column. */
export function codeCounts(sizes: readonly number[], codes: readonly Int32Array[]): MarginalCounts {
  return { rows: codes.length ? codes[0].length : 0, count: (clique) => countRows(sizes, codes, clique) };
}
