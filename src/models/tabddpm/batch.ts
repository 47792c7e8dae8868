/**
 * One training batch of TabDDPM, built in plain JS: a timestep per row, the forward-noised row
 * x_t (Gaussian on the numeric part; per categorical span, the true class kept with
 * alpha-bar_t and otherwise a uniform draw), and what the loss needs to know about it (the
 * noise, each span's true and noised class), so no gradient ever meets a sample.
 */
import { rngOfRow, type RowRngs } from '../row-rngs.js';
import type { EncodedRows } from '../transformers/codec.js';
import { TIME_DIM } from './denoiser.js';
import type { Schedule } from './schedule.js';

export interface SpanGeometry {
  readonly sizes: number[];
  readonly offsets: number[];
  readonly width: number;
}

export function spanGeometry(sizes: number[]): SpanGeometry {
  const offsets: number[] = [];
  let width = 0;
  for (const size of sizes) {
    offsets.push(width);
    width += size;
  }
  return { sizes, offsets, width };
}

/** (offset, size) per span, flat: the table the TabDDPM kernels walk. */
export const spanTable = (spans: SpanGeometry): number[] => spans.sizes.flatMap((size, s) => [spans.offsets[s], size]);

export interface TrainingBatch {
  readonly size: number;
  /** [size, dNum + dCat]: x_t, numeric values then one-hot classes. */
  readonly input: Float32Array;
  /** Sinusoidal features of the distinct timesteps drawn [k, TIME_DIM], and which of them each row has [size]. */
  readonly timeFeatures: Float32Array;
  readonly stepIndex: Int32Array;
  /** [size]: each row's timestep. */
  readonly steps: Int32Array;
  /** [size, dNum]: the noise the model should predict. */
  readonly noise: Float32Array;
  /** [size, spans]: each span's true class c0 and its noised class in x_t. */
  readonly trueClass: Int32Array;
  readonly noisedClass: Int32Array;
}

/** The draws buildBatch takes of one row at most: its timestep, its noise in pairs, two per span. */
export const batchDrawsPerRow = (dNum: number, spans: SpanGeometry): number =>
  1 + 2 * Math.ceil(dNum / 2) + 2 * spans.sizes.length;

/** `draws`: the seeded stream, or (DP-SGD) each batch row's own, batchDrawsPerRow of them, by position in `rows`. */
export function buildBatch(
  data: EncodedRows,
  rows: ArrayLike<number>,
  dNum: number,
  spans: SpanGeometry,
  schedule: Schedule,
  timeTable: Float32Array,
  draws: RowRngs,
): TrainingBatch {
  const rngOf = rngOfRow(draws);
  const size = rows.length;
  const nSpans = spans.sizes.length;
  const width = dNum + spans.width;
  const input = new Float32Array(size * width);
  const steps = Int32Array.from({ length: size }, (_, i) => rngOf(i).int(schedule.steps));
  // Each distinct timestep's row in timeFeatures, in order of first appearance.
  const local = new Int32Array(schedule.steps).fill(-1);
  let k = 0;
  for (const t of steps) if (local[t] < 0) local[t] = k++;
  const timeFeatures = new Float32Array(k * TIME_DIM);
  for (let t = 0; t < schedule.steps; t++)
    if (local[t] >= 0) timeFeatures.set(timeTable.subarray(t * TIME_DIM, (t + 1) * TIME_DIM), local[t] * TIME_DIM);
  const stepIndex = new Int32Array(size);
  const noise = new Float32Array(size * dNum);
  const trueClass = new Int32Array(size * nSpans);
  const noisedClass = new Int32Array(size * nSpans);
  for (let i = 0; i < size; i++) {
    const rng = rngOf(i);
    const row = rows[i];
    const t = steps[i];
    stepIndex[i] = local[t];
    const alphaBar = schedule.alphaBar[t];
    const keep = Math.sqrt(alphaBar);
    const spread = Math.sqrt(1 - alphaBar);
    for (let j = 0; j < dNum; j += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - rng.next()));
      const angle = 2 * Math.PI * rng.next();
      noise[i * dNum + j] = r * Math.cos(angle);
      if (j + 1 < dNum) noise[i * dNum + j + 1] = r * Math.sin(angle);
    }
    for (let j = 0; j < dNum; j++)
      input[i * width + j] = keep * data.numeric[row * dNum + j] + spread * noise[i * dNum + j];
    for (let s = 0; s < nSpans; s++) {
      const c0 = data.classes[row * nSpans + s];
      // q(x_t | x_0): keep c0 with alpha-bar_t, otherwise uniform.
      const j = rng.next() < alphaBar ? c0 : rng.int(spans.sizes[s]);
      input[i * width + dNum + spans.offsets[s] + j] = 1;
      trueClass[i * nSpans + s] = c0;
      noisedClass[i * nSpans + s] = j;
    }
  }
  return { size, input, timeFeatures, stepIndex, steps, noise, trueClass, noisedClass };
}
