/**
 * TabDDPM's training-time estimate (gesalp suggest): a row goes through the denoiser's weights,
 * which grow with the encoded width, the layers and their width. The constants are fitted on its
 * three default runs of the methods benchmark (adult, california_housing, german_credit: estimate
 * over measured 0.98-1.03); the older 8,650 rows/s (a single 2021 run before the fused engine) was
 * 3-4x too slow.
 */
import type { TimeEstimate } from '../descriptor.js';
import { BENCH_MACHINE, epochsEstimate, evenBatches, type EpochRun, type StepCost } from '../nn/time-estimate.js';
import { weightCount } from './denoiser.js';

export const DDPM_STEP_COST: StepCost = { perStep: 4.144e-3, perRowWeight: 1.161e-10, fittedOn: BENCH_MACHINE };

export const ddpmRun = (params: Readonly<Record<string, number>>, trainRows: number, inputWidth: number): EpochRun => ({
  epochs: params.n_iter,
  ...evenBatches(trainRows, params.batch_size),
  weights: weightCount({ inputWidth, layers: params.layers, width: params.width }),
});

export const estimateDdpmSeconds = (
  params: Readonly<Record<string, number>>,
  trainRows: number,
  inputWidth: number,
): TimeEstimate => epochsEstimate(DDPM_STEP_COST, ddpmRun(params, trainRows, inputWidth));
