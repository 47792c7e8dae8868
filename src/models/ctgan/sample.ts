/**
 * Rows from a trained generator, as the reference's CTGAN.sample: whole batches of batch_size
 * (its batch norm normalises with each batch's own statistics, so the batch size is part of the
 * model), noise beside a conditional vector per row (the data's category frequencies, or one
 * fixed category for conditional sampling), through tanh and Gumbel-softmax; the surplus rows of
 * the last batch are dropped.
 */
import { activeBackend } from '../../core/backend.js';
import type { Rng } from '../../core/rng.js';
import { fillStandardNormal } from '../../core/stats/random.js';
import { netMaker } from '../nn/create-net.js';
import type { CondVectors } from './cond-vector.js';
import { withCondition } from './losses.js';
import { NOISE, RAW, headSpec } from './networks.js';
import { generatorOf, shapeWidths, type CtganShape } from './steps.js';

export interface TrainedGenerator {
  readonly shape: CtganShape;
  readonly weights: Float32Array;
}

export interface GenerateOptions {
  readonly rng: Rng;
  readonly batchSize: number;
  /** Every row asks for this category of this discrete column (indices into the discrete spans). */
  readonly condition?: { readonly column: number; readonly category: number };
  readonly signal?: AbortSignal;
  readonly onProgress?: (rowsDone: number, rows: number) => void;
}

/** `rows` activated data rows, [rows, data width]; async only to yield between batches (Ctrl-C, progress). */
export async function generateRows(
  model: TrainedGenerator,
  conditions: CondVectors,
  rows: number,
  options: GenerateOptions,
): Promise<Float32Array> {
  const { shape } = model;
  const { data: width, cond: condWidth } = shapeWidths(shape);
  const { batchSize, rng, condition } = options;
  const out = new Float32Array(rows * width);
  const nets = await netMaker(activeBackend());
  const generator = nets(generatorOf(shape), model.weights, false);
  const head = nets(headSpec(shape.layout.spans), new Float32Array(0), false);
  try {
    for (let start = 0; start < rows; start += batchSize) {
      await new Promise((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
      const draw = condition
        ? conditions.fixed(batchSize, condition.column, condition.category)
        : conditions.original(batchSize, rng);
      const noise = fillStandardNormal(new Float32Array(batchSize * shape.embedding), rng);
      const input = withCondition(noise, draw.cond, batchSize, shape.embedding, condWidth);
      const activated = head.forward({ [RAW]: generator.forward({ [NOISE]: input }) }, rng.int(2 ** 31));
      const keep = Math.min(batchSize, rows - start);
      out.set(activated.subarray(0, keep * width), start * width);
      options.onProgress?.(start + keep, rows);
    }
  } finally {
    generator.dispose();
    head.dispose();
  }
  return out;
}
