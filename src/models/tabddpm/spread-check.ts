/**
 * A sampled column piling up at the edge of the normal range is the signature of a model that
 * did not learn (the reference's "KS 0.73" failure: values landing on each column's min or max).
 * Compare the share of sampled values at the edge with the training share; the evaluation reports it as a check.
 */
import type { SampleCheck } from '../synthesizer.js';
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

/** The worst numeric column's excess share at the edges over its training share, as a sample check. */
export function sampledSpread(
  before: readonly number[],
  sampled: EncodedRows,
  dNum: number,
  columnNames: string[],
): SampleCheck {
  const after = edgeShares(sampled, dNum);
  const columns = after.map((share, j) => ({ name: columnNames[j], share, expected: before[j] }));
  const worst = Math.max(0, ...columns.map((c) => c.share - c.expected));
  const bad = columns.filter((c) => c.share > c.expected + TOLERANCE);
  const list = bad
    .map((c) => `${c.name} (${(100 * c.share).toFixed(0)}% vs ${(100 * c.expected).toFixed(0)}% in training)`)
    .join(', ');
  const message = bad.length
    ? `the sampled values of ${list} pile up at the edges of their range: the model did not learn these columns`
    : 'sampled numeric values spread as in training';
  return { id: 'sample_spread', value: Math.round(worst * 1e4) / 1e4, threshold: TOLERANCE, message };
}
