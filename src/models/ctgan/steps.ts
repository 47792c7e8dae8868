/**
 * One shard's CTGAN step (the reference's CTGAN.fit loop body) on the engine's networks: the
 * discriminator's gradient of the WGAN loss plus lambda times the gradient penalty, and the
 * generator's gradient of -mean D(fake) plus the conditional cross-entropy, carried through the
 * discriminator and the output head by nested gradient passes. Each shard works on its own
 * `rows` (a multiple of pac) of a batch of `batchSize`, so its batch norm sees only its rows: the
 * statistics are per shard, as PyTorch's DistributedDataParallel without SyncBatchNorm.
 */
import { permutation, type Rng } from '../../core/rng.js';
import { fillStandardNormal } from '../../core/stats/random.js';
import { clipFactors } from '../../privacy/dp-sgd/clip.js';
import type { NetMaker } from '../nn/create-net.js';
import type { Net } from '../nn/net.js';
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
  /** Training-by-sampling's index; absent under DP-SGD, where real rows come from the batch. */
  readonly byCategory?: RowsByCategory;
  /** Per discrete column, the weights the generator's conditions draw categories from: the rows' counts by default. */
  readonly conditionCounts?: number[][];
}

/** What a DP-SGD discriminator step reads besides its real rows (train-task.ts sizes them). */
export interface PrivateCriticStep {
  /** Generated rows of the step, whatever the batch took: every shard generates them all (the real rows' partners). */
  readonly fakeRows: number;
  /** The slots [first, end) of those whose fake term this shard sums (the shards' slots partition them). */
  readonly fakeSlots: readonly [number, number];
  /** Each fake row's weight in the summed gradient (q n over the fake rows: see train-task.ts). */
  readonly fakeWeight: number;
  readonly clipNorm: number;
}

/** The randomness of a DP-SGD discriminator step (train-task.ts draws it from the run's key). */
export interface CriticDraws {
  /** The fake side's stream: keyed by the step alone, the same on every shard, read by no real row. */
  readonly fake: Rng;
  /** Real row i's own draws (REAL_ROW_DRAWS of them), keyed by its identity. */
  readonly real: (i: number) => Rng;
}

/** What one real row draws in a DP-SGD critic step: its condition's column, partner slot, alpha and two dropout seeds. */
export const REAL_ROW_DRAWS = 5;

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
    nets: NetMaker,
    initial: { readonly generator: Float32Array; readonly discriminator: Float32Array },
  ) {
    this.widths = shapeWidths(shape);
    this.discrete = this.widths.discrete;
    const counts = rows.conditionCounts ?? rows.byCategory?.counts();
    if (!counts) throw new Error("CTGAN's steps need the conditions' category weights or the rows by category");
    this.conditions = new CondVectors(this.discrete, counts);
    this.generator = nets(generatorOf(shape), initial.generator);
    this.head = nets(headSpec(shape.layout.spans), this.noWeights);
    this.discriminator = nets(discriminatorOf(shape), initial.discriminator);
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

  /**
   * DP-SGD's discriminator step (pac 1, each critic row one example): into `out`, the sum over the
   * real rows `real` of each row's own gradient of -D(x_r) + lambda (||grad_x D(x^_r)|| - 1)^2,
   * clipped to the norm bound as one vector, plus fakeWeight times the sum over this shard's fake
   * slots of each fake row's gradient of D(fake_f), clipped to the same bound. No real row reaches
   * the fake term, so its clip costs no privacy; it keeps both terms on one scale, where an
   * unclipped fake term outweighed the clipped real one and the critic learnt mostly to push fakes
   * down (adult at epsilon 5, 20 epochs: tvd_mean 0.66, the generator writing "(other)" and missing
   * for most categories the rows never hold). A real row's condition is its own category of a
   * uniformly drawn discrete column, so the conditional critic still sees matching pairs without
   * training-by-sampling.
   *
   * The bound of one row: every shard generates the same fake rows from `draws.fake`, a stream of
   * the step alone, so the fake side is the same whichever real rows the batch took. x^_r mixes x_r
   * with the fake row of a slot drawn by x_r alone, at an alpha of its own; its column, partner,
   * alpha and dropout masks are x_r's own keyed draws. A row added to the batch therefore adds its
   * own clipped term and changes no other term, penalty cross term included: the summed gradient
   * moves by at most the clip norm. Returns the slice's share of the batch's mean loss over
   * `expectedBatch` rows, and the penalty's.
   */
  privateDiscriminatorGradient(
    real: Int32Array,
    step: PrivateCriticStep,
    expectedBatch: number,
    draws: CriticDraws,
    out: Float32Array,
  ): { loss: number; penalty: number } {
    if (this.shape.pac !== 1) throw new Error('a DP-SGD critic judges single rows: pac must be 1');
    const { data: width, cond: cw } = this.widths;
    const rowWidth = width + cw;
    const fakeCount = step.fakeRows;
    const [first, end] = step.fakeSlots;
    const condition = this.conditions.training(fakeCount, draws.fake);
    const gumbelSeed = seedOf(draws.fake);
    const noise = this.noiseWith(condition, fakeCount, draws.fake);
    const fake = this.head.forward({ [RAW]: this.generator.forward({ [NOISE]: noise }) }, gumbelSeed);
    const fakeRows = withCondition(fake, condition.cond, fakeCount, width, cw);
    // Every slot's dropout seed, drawn on every shard, so the stream stays the same whatever the slots.
    const fakeSeeds = Uint32Array.from({ length: fakeCount }, () => draws.fake.int(2 ** 32));
    let fakeLoss = 0;
    if (end > first) {
      fakeLoss = this.discriminator.gradient(
        { [PACKED]: fakeRows.subarray(first * rowWidth, end * rowWidth) },
        fakeSeeds.subarray(first, end),
        (scores) => ({
          loss: scores.reduce((a, s) => a + s, 0) * step.fakeWeight,
          gradient: new Float32Array(scores.length).fill(1),
        }),
        this.noWeights,
        { perExample: true },
      );
      const factors = clipFactors(this.discriminator.exampleNorms(), step.clipNorm).map((f) => f * step.fakeWeight);
      this.discriminator.accumulate(factors, out);
    } else out.fill(0);
    if (real.length === 0) return { loss: fakeLoss / expectedBatch, penalty: 0 };
    // Each real row's own draws, in this order: its condition's column, its partner slot, alpha, two dropout seeds.
    const realRows = this.ownConditionRows(real, draws.real);
    const partners = new Float32Array(realRows.length);
    for (let r = 0; r < real.length; r++) {
      const f = draws.real(r).int(fakeCount);
      partners.set(fakeRows.subarray(f * rowWidth, (f + 1) * rowWidth), r * rowWidth);
    }
    const mixed = interpolatePacks(realRows, partners, rowWidth, draws.real);
    const realSeeds = Uint32Array.from(real, (_, r) => draws.real(r).int(2 ** 32));
    const penaltySeeds = Uint32Array.from(real, (_, r) => draws.real(r).int(2 ** 32));
    const realLoss = this.discriminator.gradient(
      { [PACKED]: realRows },
      realSeeds,
      (scores) => ({
        loss: -scores.reduce((a, s) => a + s, 0),
        gradient: new Float32Array(scores.length).fill(-1),
      }),
      this.noWeights,
      { perExample: true },
    );
    const penalty = this.discriminator.gradientPenalty({ [PACKED]: mixed }, penaltySeeds, this.noWeights, {
      perExample: true,
      weight: PENALTY_WEIGHT,
    });
    const factors = clipFactors(this.discriminator.exampleNorms(), step.clipNorm);
    this.discriminator.accumulate(factors, this.dScratch);
    for (let i = 0; i < out.length; i++) out[i] += this.dScratch[i];
    return { loss: (realLoss + fakeLoss) / expectedBatch, penalty: penalty / expectedBatch };
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

  /** The rows `rows` of the training data, each beside its own category of a discrete column it draws uniformly. */
  private ownConditionRows(rows: Int32Array, draws: (i: number) => Rng): Float32Array {
    const { data: width, cond: cw } = this.widths;
    const out = new Float32Array(rows.length * (width + cw));
    rows.forEach((row, r) => {
      const at = r * (width + cw);
      const source = this.rows.data.subarray(row * width, (row + 1) * width);
      out.set(source, at);
      // Drawn even without discrete columns, so each row's later draws keep their places.
      const column = draws(r).int(Math.max(1, this.discrete.length));
      if (!this.discrete.length) return;
      const span = this.discrete[column];
      let category = 0;
      for (let k = 1; k < span.size; k++) if (source[span.offset + k] > source[span.offset + category]) category = k;
      out[at + width + span.condOffset + category] = 1;
    });
    return out;
  }

  private realRows(draw: CondDraw, rows: number, rng: Rng): Float32Array {
    const { data: width, cond: cw } = this.widths;
    const real = new Float32Array(rows * (width + cw));
    const order = permutation(rows, rng);
    for (let r = 0; r < rows; r++) {
      const source = order[r];
      const at = r * (width + cw);
      if (this.discrete.length) {
        const row = this.rows.byCategory!.pick(draw.column[source], draw.category[source], rng);
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
