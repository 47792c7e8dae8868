/**
 * CTGAN's training-time estimate (gesalp suggest): a row goes through the generator (its input is
 * the noise plus the condition vector) and its share of the critic, which judges `pac` rows side by
 * side. The layout's width (numeric columns plus one class per level) stands for both the encoded
 * row and the condition vector; the fitted constants absorb the difference. An epoch is as many
 * full batches as the rows fill (CTGAN drops the remainder).
 */
import type { TimeEstimate } from '../descriptor.js';
import { weightCount } from '../nn/spec.js';
import { BENCH_MACHINE, epochsEstimate, type EpochRun, type StepCost } from '../nn/time-estimate.js';
import { DISCRIMINATOR_DIMS, GENERATOR_DIMS, discriminatorSpec, generatorSpec } from './networks.js';

export const CTGAN_STEP_COST: StepCost = { perStep: 23.28e-3, perRowWeight: 3.864e-10, fittedOn: BENCH_MACHINE };

export function ctganRun(params: Readonly<Record<string, number>>, trainRows: number, inputWidth: number): EpochRun {
  const generator = weightCount(generatorSpec(params.embedding_dim + inputWidth, GENERATOR_DIMS, inputWidth));
  const critic = weightCount(discriminatorSpec(params.pac * 2 * inputWidth, DISCRIMINATOR_DIMS));
  return {
    epochs: params.n_iter,
    stepsPerEpoch: Math.max(1, Math.floor(trainRows / params.batch_size)),
    rowsPerStep: params.batch_size,
    weights: Math.round(generator + critic / params.pac),
  };
}

export const estimateCtganSeconds = (
  params: Readonly<Record<string, number>>,
  trainRows: number,
  inputWidth: number,
): TimeEstimate => epochsEstimate(CTGAN_STEP_COST, ctganRun(params, trainRows, inputWidth));
