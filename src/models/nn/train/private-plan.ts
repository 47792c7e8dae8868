/**
 * What a model does with FitOptions.privacy: plan DP-SGD from the target (calibration: q, the
 * steps, the noise multiplier) into the engine job's settings, and afterwards state what the
 * run spent. Shared by every model that trains under DP-SGD.
 */
import type { BackendName } from '../../../core/backend-names.js';
import { usageError } from '../../../core/errors.js';
import { calibrateDpSgd } from '../../../privacy/dp-sgd/calibrate.js';
import type { TrainingPrivacy, TrainingPrivacySummary } from '../../synthesizer.js';
import type { DpSgdSettings, TrainResult } from './task.js';

export type PrivateSettings = Omit<DpSgdSettings, 'groups'>;

export interface PrivateRun {
  readonly rows: number;
  readonly batchSize: number;
  readonly epochs: number;
  readonly backend: BackendName;
}

export function planPrivateTraining(privacy: TrainingPrivacy, run: PrivateRun): PrivateSettings {
  // Per-example gradients exist on the fused engine only; the TensorFlow.js runners refuse them mid-run.
  if (run.backend !== 'fused')
    throw usageError(
      `DP-SGD training needs per-example gradients, which the ${run.backend} backend does not compute`,
      'Train on the fused engine (the default backend) to train with a privacy budget.',
    );
  const { maxGradNorm, epsilon, delta } = privacy;
  if (!(maxGradNorm > 0 && Number.isFinite(maxGradNorm)))
    throw usageError(
      `the per-example gradient norm bound must be a positive number, not ${maxGradNorm}`,
      'Leave it at its default of 1.0, or give a positive bound.',
    );
  const plan = calibrateDpSgd({ epsilon, delta, rows: run.rows, batchSize: run.batchSize, epochs: run.epochs });
  return { noiseMultiplier: plan.noiseMultiplier, maxGradNorm, sampleRate: plan.sampleRate, steps: plan.steps, delta };
}

/** The privacy section of a fit's summary: the target, and the accountant's epsilon for the steps the run took. */
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
