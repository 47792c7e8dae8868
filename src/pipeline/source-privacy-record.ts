/**
 * The generation report's privacy section (PrivacyRecord, the in-memory path's type) for AIM fitted
 * on a statistics source (generate FILE --engine duckdb): one attempt, the AIM fit; the preprocessing
 * is the training rows' count (file-rows.ts, unless declared) and the undeclared bounds released at
 * BOUNDS_SHARE of the rest; the row counts are the declared or released ones, never the exact count.
 */
import { PLACEHOLDER_LEVEL } from '../privacy/preprocessing/preprocess.js';
import type { FileRows } from './file-rows.js';
import { LOSS_CURVE_NOTE, PRIVACY_UNIT, trainingFigures, type PrivacyRecord } from './privacy-record.js';
import type { SourceAim } from './source-aim.js';

const round = (x: number): number => Number(x.toPrecision(6));

/** `columns`: the columns AIM learned; `rows`: the training rows declared or released, and the delta. */
export function sourcePrivacyRecord(
  fit: SourceAim,
  run: { readonly epsilon: number; readonly columns: readonly string[]; readonly rows: FileRows },
): PrivacyRecord {
  const spend = fit.training.privacy;
  if (!spend) throw new Error('aim fitted under DP without a privacy summary');
  const count = run.rows.release;
  const preprocessing = fit.released.reduce((sum, r) => sum + r.epsilon, count?.epsilon ?? 0);
  const released = new Set(fit.released.map((r) => r.column));
  const attemptEpsilon = round(preprocessing + spend.targetEpsilon);
  return {
    unit: PRIVACY_UNIT,
    training_rows: run.rows.trainRows,
    input_rows: run.rows.inputRows,
    training_rows_from: run.rows.how,
    ...trainingFigures(spend),
    attempt_epsilon: attemptEpsilon,
    max_epsilon: run.epsilon,
    preprocessing: {
      epsilon: round(preprocessing),
      delta: 0,
      fraction: round(preprocessing / run.epsilon),
      estimated: [
        ...(count ? [{ ...count, epsilon: round(count.epsilon) }] : []),
        ...fit.released.map((r) => ({ column: r.column, how: r.how, epsilon: round(r.epsilon), delta: null })),
      ],
      public: run.columns.filter((c) => !released.has(c)),
      placeholder: PLACEHOLDER_LEVEL,
    },
    attempts: [
      {
        attempt: 1,
        charged_epsilon: round(spend.targetEpsilon),
        target_epsilon: round(spend.targetEpsilon),
        spent_epsilon: round(spend.spentEpsilon),
        delta: spend.delta,
      },
    ],
    total_epsilon: attemptEpsilon,
    total_delta: spend.delta,
    total_epsilon_limit: run.epsilon,
    early_stop: 'off: aim fits once on the counts, no checkpoints',
    loss_curve: LOSS_CURVE_NOTE,
  };
}
