/**
 * One shard's CTGAN step (the reference's CTGAN.fit loop body) on the engine's networks: the
 * discriminator's gradient of the WGAN loss plus lambda times the gradient penalty, and the
 * generator's gradient of -mean D(fake) plus the conditional cross-entropy, carried through the
 * discriminator and the output head by nested gradient passes. Each shard works on its own
 * `rows` (a multiple of pac) of a batch of `batchSize`, so its batch norm sees only its rows: the
 * statistics are per shard, as PyTorch's DistributedDataParallel without SyncBatchNorm.
 */
import type { BackendName } from '../../core/backend-names.js';
import { permutation, type Rng } from '../../core/rng.js';
import { fillStandardNormal } from '../../core/stats/random.js';
import { createNet } from '../nn/net/create-net.js';
import type { Net } from '../nn/net/net.js';
import { CondVectors, type CondDraw } from './cond-vector.js';
import {
  PENALTY_WEIGHT,
  condLoss,
  criticLoss,
  generatorLoss,
  interpolatePacks,
  leadingColumns,
  withCondition,
} from './losses.js';
import { NOISE, PACKED, RAW, discriminatorSpec, generatorSpec, headSpec } from './networks.js';
import type { RowsByCategory } from './rows-by-category.js';
import { condWidth, dataWidth, discreteSpans, type DiscreteSpan, type SpanLayout } from './spans.js';

export const GENERATOR = 'generator';
export const DISCRIMINATOR = 'discriminator';

export interface CtganShape {
  /** The data layout's spans (only sizes, activations and the discrete spans are read). */
  readonly layout: SpanLayout;
  readonly embedding: number;
  readonly generatorDims: readonly number[];
  readonly discriminatorDims: readonly number[];
  readonly pac: number;
}

export const shapeWidths = (shape: CtganShape) => {
  const discrete = discreteSpans(shape.layout);
  const data = dataWidth(shape.layout);
  const cond = condWidth(discrete);
  return { discrete, data, cond, generatorInput: shape.embedding + cond, packed: shape.pac * (data + cond) };
};

export const generatorOf = (shape: CtganShape) => {
  const w = shapeWidths(shape);
  return generatorSpec(w.generatorInput, shape.generatorDims, w.data);
};

export const discriminatorOf = (shape: CtganShape) =>
  discriminatorSpec(shapeWidths(shape).packed, shape.discriminatorDims);

export interface TrainingRows {
  /** The encoded training rows, [count, data width]. */
  readonly data: Float32Array;
  readonly byCategory: RowsByCategory;
}

export class CtganSteps {
  private readonly generator: Net;
  private readonly head: Net;
  private readonly discriminator: Net;
  private readonly conditions: CondVectors;
  private readonly discrete: DiscreteSpan[];
  private readonly widths: ReturnType<typeof shapeWidths>;
  private readonly dScratch: Float32Array;
  private readonly noWeights = new Float32Array(0);

  constructor(
    private readonly shape: CtganShape,
    private readonly rows: TrainingRows,
    backend: BackendName,
    initial: { readonly generator: Float32Array; readonly discriminator: Float32Array },
  ) {
    this.widths = shapeWidths(shape);
    this.discrete = this.widths.discrete;
    this.conditions = new CondVectors(this.discrete, rows.byCategory.counts());
    this.generator = createNet(generatorOf(shape), backend, initial.generator);
    this.head = createNet(headSpec(shape.layout.spans), backend, this.noWeights);
    this.discriminator = createNet(discriminatorOf(shape), backend, initial.discriminator);
    this.dScratch = new Float32Array(initial.discriminator.length);
  }

  /** The discriminator's share of -(mean D(real) - mean D(fake)) + lambda * penalty; gradient into `out`. */
  discriminatorGradient(
    rows: number,
    batchSize: number,
    rng: Rng,
    out: Float32Array,
  ): { loss: number; penalty: number } {
    const { data: width, cond: cw, packed } = this.widths;
    const { pac } = this.shape;
    const draw = this.conditions.training(rows, rng);
    const fake = this.head.forward(
      { [RAW]: this.generator.forward({ [NOISE]: this.noiseWith(draw, rows, rng) }) },
      seedOf(rng),
    );
    const fakeRows = withCondition(fake, draw.cond, rows, width, cw);
    // Real rows hold the categories of a shuffled copy of the conditions, so packs mix conditions as the reference's do.
    const realRows = this.realRows(draw, rows, rng);
    const both = new Float32Array(2 * rows * (width + cw));
    both.set(realRows);
    both.set(fakeRows, realRows.length);
    const packs = rows / pac;
    const batchPacks = batchSize / pac;
    const loss = this.discriminator.gradient(
      { [PACKED]: both },
      seedOf(rng),
      (scores) => criticLoss(scores, packs, batchPacks),
      out,
    );
    const mixed = interpolatePacks(realRows, fakeRows, packed, rng);
    const penalty = this.discriminator.gradientPenalty({ [PACKED]: mixed }, seedOf(rng), this.dScratch);
    // The penalty is a mean over this shard's packs; its share of the batch's mean weighs it by packs / batchPacks.
    const weight = (PENALTY_WEIGHT * packs) / batchPacks;
    for (let i = 0; i < out.length; i++) out[i] += weight * this.dScratch[i];
    return { loss, penalty: weight * penalty };
  }

  /** The generator's share of -mean D(fake) + the conditional cross-entropy; gradient into `out`. */
  generatorGradient(rows: number, batchSize: number, rng: Rng, out: Float32Array): number {
    const { data: width, cond: cw } = this.widths;
    const batchPacks = batchSize / this.shape.pac;
    const draw = this.conditions.training(rows, rng);
    const noise = this.noiseWith(draw, rows, rng);
    const gumbelSeed = seedOf(rng);
    const dropoutSeed = seedOf(rng);
    return this.generator.gradient(
      { [NOISE]: noise },
      0,
      (raw) => {
        const adversarial = this.head.gradient(
          { [RAW]: raw },
          gumbelSeed,
          (activated) => {
            const fakeRows = withCondition(activated, draw.cond, rows, width, cw);
            const loss = this.discriminator.gradient(
              { [PACKED]: fakeRows },
              dropoutSeed,
              (scores) => generatorLoss(scores, batchPacks),
              this.dScratch,
            );
            return { loss, gradient: leadingColumns(this.discriminator.inputGradient(PACKED), width + cw, width) };
          },
          this.noWeights,
        );
        const gradient = this.head.inputGradient(RAW);
        const conditional = condLoss(raw, width, this.discrete, draw, batchSize, gradient);
        return { loss: adversarial + conditional, gradient };
      },
      out,
    );
  }

  setWeights(group: string, weights: Float32Array): void {
    if (group === GENERATOR) this.generator.setWeights(weights);
    else this.discriminator.setWeights(weights);
  }

  dispose(): void {
    this.generator.dispose();
    this.head.dispose();
    this.discriminator.dispose();
  }

  /** The generator's input: N(0, 1) noise of the embedding's width beside each row's conditional vector. */
  private noiseWith(draw: CondDraw, rows: number, rng: Rng): Float32Array {
    const noise = fillStandardNormal(new Float32Array(rows * this.shape.embedding), rng);
    return withCondition(noise, draw.cond, rows, this.shape.embedding, this.widths.cond);
  }

  private realRows(draw: CondDraw, rows: number, rng: Rng): Float32Array {
    const { data: width, cond: cw } = this.widths;
    const real = new Float32Array(rows * (width + cw));
    const order = permutation(rows, rng);
    for (let r = 0; r < rows; r++) {
      const source = order[r];
      const at = r * (width + cw);
      if (this.discrete.length) {
        const row = this.rows.byCategory.pick(draw.column[source], draw.category[source], rng);
        real.set(this.rows.data.subarray(row * width, (row + 1) * width), at);
        real.set(draw.cond.subarray(source * cw, (source + 1) * cw), at + width);
      } else {
        const row = rng.int(this.rows.data.length / width);
        real.set(this.rows.data.subarray(row * width, (row + 1) * width), at);
      }
    }
    return real;
  }
}

const seedOf = (rng: Rng): number => rng.int(2 ** 31);
