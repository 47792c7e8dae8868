/**
 * What a model does with FitOptions.privacy: plan DP-SGD from the target (calibration: q, the
 * steps, the noise multiplier, all from the released row count), draw the run's secret key,
 * name each training row by its content (the identity its coins and draws are keyed by), and
 * afterwards state what the run spent. Shared by every model that trains under DP-SGD.
 */
import { usageError } from '../../../core/errors.js';
import type { Rng } from '../../../core/rng.js';
import type { Table } from '../../../core/table.js';
import { calibrateDpSgd } from '../../../privacy/dp-sgd/calibrate.js';
import { STREAM, freshKey } from '../../../privacy/dp-sgd/keystream.js';
import { rowIdentities } from '../../../privacy/dp-sgd/row-identity.js';
import { RowPrf } from '../../../privacy/dp-sgd/row-prf.js';
import type { FitOptions, TrainingPrivacy, TrainingPrivacySummary } from '../../synthesizer.js';
import type { DpSgdSettings, TrainResult } from './task.js';

export type PrivateSettings = Omit<DpSgdSettings, 'groups'>;

export interface PrivateRun {
  readonly batchSize: number;
  readonly epochs: number;
}

/**
 * The DP-SGD plan of a fit on `rows` (the training rows as the model encodes them), or undefined
 * without `options.privacy`. Nothing in it reads the table's exact count: calibration uses
 * `privacy.rows`, the released one; the rows only give their identities.
 */
export function planPrivateTraining(
  options: Pick<FitOptions, 'privacy' | 'backend' | 'statistics'>,
  run: PrivateRun,
  rows: Table,
): PrivateSettings | undefined {
  const { privacy } = options;
  if (!privacy) return undefined;
  // Per-example gradients exist on the fused engine only; the TensorFlow.js runners refuse them mid-run.
  if (options.backend !== 'fused')
    throw usageError(
      `DP-SGD training needs per-example gradients, which the ${options.backend} backend does not compute`,
      'Train on the fused engine (the default backend) to train with a privacy budget.',
    );
  // Without them the model would fit its transform (ranges, levels, modes) on the rows, outside the budget.
  if (!options.statistics)
    throw usageError(
      'DP-SGD training needs the columns’ public or DP statistics, or the model would read its layout from the rows',
      'Train through `generate --epsilon`, which releases them from the preprocessing share.',
    );
  const { maxGradNorm, epsilon, delta } = privacy;
  if (!(maxGradNorm > 0 && Number.isFinite(maxGradNorm)))
    throw usageError(
      `the per-example gradient norm bound must be a positive number, not ${maxGradNorm}`,
      'Leave it at its default of 1.0, or give a positive bound.',
    );
  const plan = calibrateDpSgd({ epsilon, delta, rows: privacy.rows, batchSize: run.batchSize, epochs: run.epochs });
  return {
    noiseMultiplier: plan.noiseMultiplier,
    maxGradNorm,
    sampleRate: plan.sampleRate,
    rows: privacy.rows,
    steps: plan.steps,
    delta,
    key: freshKey(),
    rowIds: rowIdentities(rows),
  };
}

/** The expected Poisson batch q n of a plan (n released): what the throughput figures count per step. */
export const expectedBatch = (settings: Pick<PrivateSettings, 'sampleRate' | 'rows'>): number =>
  settings.sampleRate * settings.rows;

/**
 * Under DP-SGD, the draws of encoding the training rows (a missing value's filler, a mode drawn
 * from its responsibilities): row r's own `perRow` uniforms, keyed by its identity, so that no
 * row's encoding moves when another is added.
 */
export function encodingDraws(settings: Pick<PrivateSettings, 'key' | 'rowIds'>, perRow: number): (row: number) => Rng {
  const prf = new RowPrf(settings.key, settings.rowIds);
  return prf.rowRngs(
    STREAM.encoding,
    0,
    Int32Array.from({ length: prf.rows }, (_, r) => r),
    Math.max(1, perRow),
  );
}

/**
 * Under DP-SGD, the draws a fine-tuned TabDDPM takes for the levels its saved transform lacks
 * (src/models/fine-tune.ts, drawUnseenLevels): row r's own `perRow` uniforms, keyed by its
 * identity on the encoding stream's step 1, apart from encodingDraws' step 0.
 */
export function unseenLevelDraws(
  settings: Pick<PrivateSettings, 'key' | 'rowIds'>,
  perRow: number,
): (row: number) => Rng {
  const prf = new RowPrf(settings.key, settings.rowIds);
  return prf.rowRngs(
    STREAM.encoding,
    1,
    Int32Array.from({ length: prf.rows }, (_, r) => r),
    Math.max(1, perRow),
  );
}

/**
 * The privacy section of a fit's summary: the target (what calibration planned the whole run to
 * spend at most, the charge of an attempt that starts) and the accountant's epsilon for the steps
 * the run took (less when stopped early).
 */
export function privacySummary(
  privacy: TrainingPrivacy,
  settings: PrivateSettings,
  result: TrainResult,
): TrainingPrivacySummary {
  if (!result.privacy) throw new Error('a DP-SGD run came back without its spent epsilon');
  return {
    targetEpsilon: privacy.epsilon,
    spentEpsilon: result.privacy.spentEpsilon,
    delta: settings.delta,
    noiseMultiplier: settings.noiseMultiplier,
    sampleRate: settings.sampleRate,
    steps: result.privacy.steps,
    maxGradNorm: settings.maxGradNorm,
  };
}
