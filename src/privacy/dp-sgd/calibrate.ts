/**
 * DP-SGD's plan from a privacy target: the sample rate q = batch / rows, the planned steps
 * (epochs of ceil(rows / batch) expected batches each, the batches per epoch of the engine
 * without DP and of Opacus's DPDataLoader over a loader that keeps its last partial batch), and
 * the smallest noise multiplier whose accounted epsilon after those steps meets the target.
 */
import { usageError } from '../../core/errors.js';
import { epsilonSpent, noiseForEpsilon } from '../rdp-accountant.js';

/**
 * Above this noise multiplier a run is refused: the noise on each averaged gradient (sigma C /
 * the expected batch per coordinate) then drowns any signal a model could learn from.
 */
export const MAX_NOISE_MULTIPLIER = 100;

/** The bisection's tolerance on sigma: far finer than the 1e-3 relative margin the tests hold it to. */
const SIGMA_TOLERANCE = 1e-5;

export interface DpSgdTarget {
  readonly epsilon: number;
  readonly delta: number;
  readonly rows: number;
  readonly batchSize: number;
  readonly epochs: number;
}

export interface DpSgdPlan {
  readonly sampleRate: number;
  readonly steps: number;
  readonly stepsPerEpoch: number;
  readonly noiseMultiplier: number;
  /** The accountant's epsilon for these steps at this noise multiplier: at most the target. */
  readonly epsilon: number;
}

export function calibrateDpSgd(target: DpSgdTarget): DpSgdPlan {
  const { epsilon, delta, rows, epochs } = target;
  if (!(epsilon > 0 && Number.isFinite(epsilon)))
    throw usageError(
      `the privacy target epsilon must be a positive number, not ${epsilon}`,
      'Give an epsilon such as 1 or 5.',
    );
  if (!(delta > 0 && delta < 1))
    throw usageError(
      `the privacy target delta must lie strictly between 0 and 1, not ${delta}`,
      'Leave delta at its default, 1/(10 n) of the training rows, or give a smaller one.',
    );
  for (const [name, value] of Object.entries({ rows, 'batch size': target.batchSize, epochs }))
    if (!(Number.isInteger(value) && value >= 1))
      throw new Error(`DP-SGD calibration needs a whole ${name} >= 1, not ${value}`);
  const batchSize = Math.min(target.batchSize, rows);
  const sampleRate = batchSize / rows;
  const stepsPerEpoch = Math.ceil(rows / batchSize);
  const steps = epochs * stepsPerEpoch;
  const refuse = (sigma: string) =>
    usageError(
      `epsilon ${epsilon} (delta ${delta}) over ${steps} steps at sample rate ${sampleRate.toPrecision(3)} (batches of ` +
        `${batchSize} of ${rows} rows, ${epochs} epochs) needs a noise multiplier ${sigma}, beyond which the noise ` +
        'drowns what the model could learn',
      'Raise epsilon, train fewer epochs, or use a smaller batch (a lower sample rate buys more privacy per step).',
    );
  // Checked first, so the bisection below searches a bounded range.
  const atMost = epsilonSpent(sampleRate, MAX_NOISE_MULTIPLIER, steps, delta).epsilon;
  if (atMost > epsilon)
    throw refuse(`above ${MAX_NOISE_MULTIPLIER} (at ${MAX_NOISE_MULTIPLIER} it spends ${atMost.toPrecision(3)})`);
  const noiseMultiplier = noiseForEpsilon(epsilon, sampleRate, steps, delta, SIGMA_TOLERANCE);
  const spent = epsilonSpent(sampleRate, noiseMultiplier, steps, delta).epsilon;
  return { sampleRate, steps, stepsPerEpoch, noiseMultiplier, epsilon: spent };
}
