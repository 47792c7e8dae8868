/**
 * TVAE's training-time estimate (gesalp suggest): a row goes through the encoder and the decoder
 * (two hidden layers of 128 each), whose weights grow with the encoded width and the embedding.
 * The encoded width is the layout's (numeric columns plus one class per level): TVAE's own gives a
 * numeric column a class per mode too, which the fitted constants absorb.
 */
import type { TimeEstimate } from '../descriptor.js';
import { weightCount } from '../nn/spec.js';
import { BENCH_MACHINE, epochsEstimate, evenBatches, type EpochRun, type StepCost } from '../nn/time-estimate.js';
import { decoderSpec, encoderSpec } from './networks.js';

export const TVAE_STEP_COST: StepCost = { perStep: 7.521e-3, perRowWeight: 2.15e-10, fittedOn: BENCH_MACHINE };

export function tvaeRun(params: Readonly<Record<string, number>>, trainRows: number, inputWidth: number): EpochRun {
  const shape = { dataWidth: inputWidth, embedding: params.embedding_dim, sigmas: 0 };
  return {
    epochs: params.n_iter,
    ...evenBatches(trainRows, params.batch_size),
    weights: weightCount(encoderSpec(shape)) + weightCount(decoderSpec(shape)),
  };
}

export const estimateTvaeSeconds = (
  params: Readonly<Record<string, number>>,
  trainRows: number,
  inputWidth: number,
): TimeEstimate => epochsEstimate(TVAE_STEP_COST, tvaeRun(params, trainRows, inputWidth));
