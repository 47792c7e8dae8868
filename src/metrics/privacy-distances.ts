/**
 * The nearest-neighbour distances behind dcr_median, dcr_train_share and mia_auc, on seeded
 * samples of at most `cap` rows per set (SPEC section 3). One pass searches S against R and H
 * stacked; each winner's distance is then recomputed exactly in float64, so an exact duplicate
 * stays at 0 although float32 matrix identities would make it a small positive number
 * (and exact duplicates are matched by hashing, so float32 rounding cannot pass them over).
 */
import type { BackendName } from '../core/backend.js';
import { createRng, sampleIndices } from '../core/rng.js';
import { takeRows, type Table } from '../core/table.js';
import {
  buildDistanceSpace,
  concatRows,
  exactRows,
  exactSquaredDistance,
  preferExactMatches,
  type ExactRows,
} from './neighbours/distance-space.js';
import { nearestBothWays } from './neighbours/nearest.js';
import { searchProblem } from './neighbours/search-problem.js';

export interface PrivacyDistances {
  /** For each sampled S row, the distance to its closest sampled R row (and H row when there is a holdout). */
  readonly syntheticToReal: Float64Array;
  readonly syntheticToHoldout?: Float64Array;
  /** For each sampled R row (and H row), the distance to its closest sampled S row. */
  readonly realToSynthetic: Float64Array;
  readonly holdoutToSynthetic?: Float64Array;
  /** For each sampled H row, the distance to its closest sampled R row: the baseline the report plots beside syntheticToReal. Searched on first call only (no metric needs it). */
  readonly holdoutToReal?: () => Promise<Float64Array>;
  /** Rows used per set, and whether each was sampled down to the cap. */
  readonly rows: { real: number; synthetic: number; holdout: number | null; cap: number; sampled: string[] };
}

export interface PrivacyOptions {
  readonly cap: number;
  readonly seed: number;
  readonly backend: BackendName;
  readonly threads?: number;
  /** Search in worker threads only, so the caller can compute other metrics meanwhile (large searches). */
  readonly background?: boolean;
}

export async function privacyDistances(
  real: Table,
  synthetic: Table,
  holdout: Table | undefined,
  options: PrivacyOptions,
): Promise<PrivacyDistances> {
  const rng = createRng(options.seed);
  const sampled: string[] = [];
  const cap = (table: Table, name: string): Table => {
    if (table.rowCount <= options.cap) return table;
    sampled.push(name);
    return takeRows(table, sampleIndices(table.rowCount, options.cap, rng));
  };
  const r = cap(real, 'real');
  const s = cap(synthetic, 'synthetic');
  const h = holdout ? cap(holdout, 'holdout') : undefined;
  const space = buildDistanceSpace(r, h ? [s, h] : [s]);
  const er = exactRows(r, space);
  const es = exactRows(s, space);
  const eh = h ? exactRows(h, space) : undefined;
  const refs = eh ? concatRows(er, eh) : er;
  const segments = eh ? [0, er.n, er.n + eh.n] : [0, er.n];
  const nearest = await nearestBothWays(searchProblem(es, refs, segments), {
    backend: options.backend,
    threads: options.threads,
    background: options.background,
  });
  const distanceTo = (from: ExactRows, to: ExactRows, nearestIndex: Int32Array) => {
    preferExactMatches(from, to, nearestIndex);
    return Float64Array.from(nearestIndex, (j, i) => Math.sqrt(exactSquaredDistance(from, i, to, j)));
  };
  const [toReal, toHoldout] = nearest.rowNearest;
  const fromRefs = nearest.colNearest;
  return {
    syntheticToReal: distanceTo(es, er, toReal),
    syntheticToHoldout: eh ? distanceTo(es, eh, toHoldout) : undefined,
    realToSynthetic: distanceTo(er, es, fromRefs.subarray(0, er.n)),
    holdoutToSynthetic: eh ? distanceTo(eh, es, fromRefs.subarray(er.n)) : undefined,
    holdoutToReal: eh
      ? once(async () => {
          const [toTrain] = (
            await nearestBothWays(searchProblem(eh, er, [0, er.n]), {
              backend: options.backend,
              threads: options.threads,
            })
          ).rowNearest;
          return distanceTo(eh, er, toTrain);
        })
      : undefined,
    rows: { real: er.n, synthetic: es.n, holdout: eh ? eh.n : null, cap: options.cap, sampled },
  };
}

const once = <T>(compute: () => Promise<T>): (() => Promise<T>) => {
  let result: Promise<T> | undefined;
  return () => (result ??= compute());
};
