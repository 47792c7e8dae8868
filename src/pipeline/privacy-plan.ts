/**
 * A DP run's budget (SPEC section 6, README "Privacy"): the preprocessing share is spent once, on
 * the training rows, and its statistics serve every attempt (post-processing); each attempt's
 * training then spends its epsilon minus that share, and the total is their sum (sequential
 * composition). Delta is the total for the run: preprocessing takes its share when it releases
 * category lists, and each planned attempt's training an equal part of the rest.
 */
import type { ColumnStatistics } from '../core/column-statistics.js';
import { GesalpError } from '../core/errors.js';
import type { Schema } from '../core/schema/schema.js';
import type { Table } from '../core/table.js';
import type { TrainingPrivacy } from '../models/synthesizer.js';
import { estimatedColumns, preprocess, type PreprocessingRecord } from '../privacy/preprocessing/preprocess.js';
import type { PublicBounds } from '../privacy/preprocessing/public-bounds.js';

export interface PrivacyRequest {
  /** The most one attempt may spend (preprocessing + training): attempts start here and the optimizer never goes above it. */
  readonly epsilon: number;
  /** The most every attempt together may spend. */
  readonly totalEpsilon: number;
  /** The run's total delta. */
  readonly delta: number;
  readonly maxGradNorm: number;
  /** Share of the first attempt's epsilon spent on preprocessing (when some column is not public). */
  readonly preprocessingFraction: number;
  readonly publicBounds: PublicBounds;
  /** Public rows early-stop checkpoints may evaluate on (without them, checkpoints are off under DP). */
  readonly validation?: { readonly table: Table; readonly path: string };
}

export interface PrivacyBudget {
  readonly request: PrivacyRequest;
  readonly statistics: ColumnStatistics[];
  readonly preprocessing: PreprocessingRecord & { readonly fraction: number };
  /** Each attempt's training delta. */
  readonly trainingDelta: number;
}

/** Preprocessing, once, at the share of `firstEpsilon` (the first attempt's, or the grid's smallest). */
export async function planPrivacy(
  train: Table,
  schema: Schema,
  request: PrivacyRequest,
  firstEpsilon: number,
  attempts: number,
): Promise<PrivacyBudget> {
  const estimated = estimatedColumns(schema, request.publicBounds);
  const fraction = estimated.length ? request.preprocessingFraction : 0;
  const releasesCategories = estimated.some((c) => c.kind === 'categorical');
  const preprocessingDelta = releasesCategories ? request.delta * request.preprocessingFraction : 0;
  const { statistics, record } = await preprocess(train, schema, request.publicBounds, {
    epsilon: firstEpsilon * fraction,
    delta: preprocessingDelta,
  });
  return {
    request,
    statistics,
    preprocessing: { ...record, fraction },
    trainingDelta: (request.delta - record.delta) / attempts,
  };
}

/** What one attempt at `epsilon` asks of training: its epsilon after the preprocessing share. */
export function trainingPrivacy(budget: PrivacyBudget, epsilon: number): TrainingPrivacy {
  return {
    epsilon: epsilon - budget.preprocessing.epsilon,
    delta: budget.trainingDelta,
    maxGradNorm: budget.request.maxGradNorm,
  };
}

/** Why an attempt at `epsilon` cannot run after `spent` so far, or null when it fits the budget. */
export function attemptRefusal(budget: PrivacyBudget, spent: number, epsilon: number): string | null {
  const pre = budget.preprocessing.epsilon;
  if (!(epsilon > pre)) return `epsilon ${epsilon} leaves nothing for training after preprocessing's ${round(pre)}`;
  const after = spent + epsilon - pre;
  // A hair of floating-point slack: 0.1 + 0.2 must not refuse a total of 0.3.
  if (after > budget.request.totalEpsilon * (1 + 1e-12))
    return `an attempt at epsilon ${epsilon} would take the total to ${round(after)}, past the stated ${budget.request.totalEpsilon}`;
  return null;
}

/** A grid whose points together spend more than the stated total is refused before anything trains. */
export function checkGridBudget(budget: PrivacyBudget, epsilons: readonly number[]): void {
  const pre = budget.preprocessing.epsilon;
  const total = pre + epsilons.reduce((sum, e) => sum + e - pre, 0);
  if (total > budget.request.totalEpsilon * (1 + 1e-12))
    throw new GesalpError(
      'budget',
      `the grid's ${epsilons.length} DP attempts spend epsilon ${round(total)} in all, past the stated total ${budget.request.totalEpsilon}`,
      'Grid over fewer or smaller epsilons, or state a larger total.',
    );
  const low = epsilons.find((e) => !(e > pre));
  if (low !== undefined)
    throw new GesalpError(
      'budget',
      `grid epsilon ${low} leaves nothing for training after preprocessing's ${round(pre)}`,
      'Grid over larger epsilons, or declare the columns public so preprocessing spends nothing.',
    );
}

const round = (x: number): number => Number(x.toPrecision(6));
