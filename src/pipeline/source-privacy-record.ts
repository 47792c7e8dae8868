/**
 * The generation report's privacy section (PrivacyRecord, the in-memory path's type) for AIM fitted
 * on a statistics source (generate FILE --engine duckdb): one attempt, the AIM fit; the undeclared
 * bounds released at BOUNDS_SHARE of epsilon are the preprocessing; the row counts are AIM's noisy
 * total (post-processing of its measurements), never the exact count.
 */
import { PLACEHOLDER_LEVEL } from '../privacy/preprocessing/preprocess.js';
import { LOSS_CURVE_NOTE, PRIVACY_UNIT, trainingFigures, type PrivacyRecord } from './privacy-record.js';
import { BOUNDS_SHARE } from './source-bounds.js';
import type { SourceAim } from './source-aim.js';

const round = (x: number): number => Number(x.toPrecision(6));

/** Null without DP. `columns`: the columns AIM learned; `fraction`: the holdout's share of the split. */
export function sourcePrivacyRecord(
  fit: SourceAim,
  run: { readonly epsilon: number | undefined; readonly columns: readonly string[]; readonly fraction: number },
): PrivacyRecord | null {
  const spend = fit.training.privacy;
  if (!spend || run.epsilon === undefined) return null;
  const bounds = fit.released.reduce((sum, r) => sum + r.epsilon, 0);
  const released = new Set(fit.released.map((r) => r.column));
  const trainingRows = Math.max(0, Math.round(fit.aim.graphicalModel().total));
  const attemptEpsilon = round(bounds + spend.targetEpsilon);
  return {
    unit: PRIVACY_UNIT,
    training_rows: trainingRows,
    input_rows: Math.round(trainingRows / (1 - run.fraction)),
    training_rows_from: "aim's noisy total of the training side (post-processing of its measurements)",
    ...trainingFigures(spend),
    attempt_epsilon: attemptEpsilon,
    max_epsilon: run.epsilon,
    preprocessing: {
      epsilon: round(bounds),
      delta: 0,
      fraction: fit.released.length ? BOUNDS_SHARE : 0,
      estimated: fit.released.map((r) => ({ column: r.column, how: r.how, epsilon: round(r.epsilon), delta: null })),
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
