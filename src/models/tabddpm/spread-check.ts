/**
 * A sampled column piling up at the edge of the normal range is the signature of a model that
 * did not learn (the reference's "KS 0.73" failure: values landing on each column's min or max).
 * Compare the share of sampled values at the edge with the training share and fail loudly.
 */
import { GesalpError } from '../../core/errors.js';
import type { EncodedRows } from '../transformers/codec.js';
import { NORMAL_LIMIT } from '../transformers/quantile-normal.js';

const EDGE = 0.98 * NORMAL_LIMIT;
/** How many more percentage points at the edge than in training count as a blow-up. */
const TOLERANCE = 0.2;

/** Per numeric column, the share of rows at the edge of the normal range: kept from training (and saved with the model) to compare samples with. */
export function edgeShares(rows: EncodedRows, dNum: number): number[] {
  const shares = new Array<number>(dNum).fill(0);
  for (let i = 0; i < rows.rows; i++) {
    for (let j = 0; j < dNum; j++) {
      const v = rows.numeric[i * dNum + j];
      if (!(Math.abs(v) < EDGE)) shares[j]++;
    }
  }
  return shares.map((count) => count / Math.max(1, rows.rows));
}

/** The rows piled up at the range edges: a gate failure the retry loop can recover from. */
export class EdgePileUp extends GesalpError {}

export function checkSampledSpread(
  before: readonly number[],
  sampled: EncodedRows,
  dNum: number,
  columnNames: string[],
): void {
  const after = edgeShares(sampled, dNum);
  const bad = after
    .map((share, j) => ({ name: columnNames[j], share, expected: before[j] }))
    .filter((c) => c.share > c.expected + TOLERANCE);
  if (bad.length) {
    const list = bad
      .map((c) => `${c.name} (${(100 * c.share).toFixed(0)}% vs ${(100 * c.expected).toFixed(0)}% in training)`)
      .join(', ');
    throw new EdgePileUp(
      'gate',
      `the sampled values of ${list} pile up at the edges of their range: the model did not learn these columns, and the rows were not written`,
      'Train longer (--n-iter), lower --lr, or check that training was not stopped early.',
    );
  }
}
