/**
 * CTGAN's losses (WGAN-GP, Gulrajani et al. 2017, with the conditional term of Xu et al. 2019),
 * each as a shard's share of the batch loss and its gradient w.r.t. what it reads. A batch of
 * `batchSize` rows is batchSize / pac packs; means run over the whole batch's packs, so the
 * shards' shares sum to the batch's loss.
 */
import type { LossGradient } from '../nn/net.js';
import { rngOfRow, type RowRngs } from '../row-rngs.js';
import type { CondDraw } from './cond-vector.js';
import type { DiscreteSpan } from './spans.js';

/** The penalty's weight, lambda. */
export const PENALTY_WEIGHT = 10;

/** -(mean D(real) - mean D(fake)) over scores of `realPacks` real packs followed by fake ones. */
export function criticLoss(scores: Float32Array, realPacks: number, batchPacks: number): LossGradient {
  const gradient = new Float32Array(scores.length);
  let loss = 0;
  for (let p = 0; p < scores.length; p++) {
    const sign = p < realPacks ? -1 : 1;
    loss += (sign * scores[p]) / batchPacks;
    gradient[p] = sign / batchPacks;
  }
  return { loss, gradient };
}

/** The generator's adversarial term, -mean D(fake). */
export function generatorLoss(scores: Float32Array, batchPacks: number): LossGradient {
  let loss = 0;
  for (const s of scores) loss -= s / batchPacks;
  return { loss, gradient: new Float32Array(scores.length).fill(-1 / batchPacks) };
}

/**
 * The conditional term (the reference's _cond_loss): per row, the cross-entropy between the raw
 * outputs of the discrete span its condition chose and that category, summed over the shard's
 * rows and divided by the batch's rows. Adds its gradient, (softmax - one-hot) / batchSize, into `into`.
 */
export function condLoss(
  raw: Float32Array,
  width: number,
  discrete: readonly DiscreteSpan[],
  draw: CondDraw,
  batchSize: number,
  into: Float32Array,
): number {
  if (discrete.length === 0) return 0;
  const rows = draw.column.length;
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const span = discrete[draw.column[r]];
    const at = r * width + span.offset;
    let max = -Infinity;
    for (let k = 0; k < span.size; k++) max = Math.max(max, raw[at + k]);
    let sum = 0;
    for (let k = 0; k < span.size; k++) sum += Math.exp(raw[at + k] - max);
    const target = draw.category[r];
    loss += (Math.log(sum) + max - raw[at + target]) / batchSize;
    for (let k = 0; k < span.size; k++)
      into[at + k] += (Math.exp(raw[at + k] - max) / sum - (k === target ? 1 : 0)) / batchSize;
  }
  return loss;
}

/** Rows [rows, dataWidth] and their conditions [rows, condWidth] side by side: the discriminator's rows before packing. */
export function withCondition(
  data: Float32Array,
  cond: Float32Array,
  rows: number,
  dataWidth: number,
  condWidth: number,
  into = new Float32Array(rows * (dataWidth + condWidth)),
): Float32Array {
  const width = dataWidth + condWidth;
  for (let r = 0; r < rows; r++) {
    into.set(data.subarray(r * dataWidth, (r + 1) * dataWidth), r * width);
    into.set(cond.subarray(r * condWidth, (r + 1) * condWidth), r * width + dataWidth);
  }
  return into;
}

/** The columns [0, keep) of each row of `rows` [rows, width]: d loss / d the data part of the discriminator's rows. */
export function leadingColumns(rows: Float32Array, width: number, keep: number): Float32Array {
  const count = rows.length / width;
  const out = new Float32Array(count * keep);
  for (let r = 0; r < count; r++) out.set(rows.subarray(r * width, r * width + keep), r * keep);
  return out;
}

/**
 * alpha * real + (1 - alpha) * fake with one alpha ~ U(0, 1) per pack of `pac` rows (the reference's
 * calc_gradient_penalty), from the seeded stream, or (DP-SGD, pac 1) from each pack's own draws.
 */
export function interpolatePacks(
  real: Float32Array,
  fake: Float32Array,
  packWidth: number,
  draws: RowRngs,
): Float32Array {
  const rngOf = rngOfRow(draws);
  const out = new Float32Array(real.length);
  for (let at = 0; at < real.length; at += packWidth) {
    const alpha = rngOf(at / packWidth).next();
    for (let j = at; j < at + packWidth; j++) out[j] = alpha * real[j] + (1 - alpha) * fake[j];
  }
  return out;
}
