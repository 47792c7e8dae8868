/**
 * The reverse process in batches: start from N(0, I) and uniform classes, and at each jump of the
 * plan (every step of the schedule, or a strided subsequence of them: reverse-plan.ts) predict x0
 * from the noise estimate, bound it to the range the quantile transform can produce (the guard
 * against the blow-up an undertrained model shows at the last, near-1 beta), move the numeric
 * part to the jump's target by its Gaussian coefficients, and sample each span from the
 * multinomial posterior of the jump.
 */
import { activeBackend } from '../../core/backend.js';
import type { Rng } from '../../core/rng.js';
import { fillStandardNormal } from '../../core/stats/random.js';
import type { EncodedRows } from '../transformers/codec.js';
import { NORMAL_LIMIT } from '../transformers/quantile-normal.js';
import { netMaker } from '../nn/create-net.js';
import type { Net } from '../nn/net.js';
import type { SpanGeometry } from './batch.js';
import { STEP, TIME, TIME_DIM, X, denoiserSpec, timeFeatureTable, type DenoiserShape } from './denoiser.js';
import { MultinomialStep } from './multinomial-step.js';
import { reversePlan, type ReverseJump } from './reverse-plan.js';
import type { Schedule } from './schedule.js';

export interface SampleOptions {
  readonly rng: Rng;
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (rowsDone: number, rows: number) => void;
  /** Network evaluations per row (default, or at least the schedule's steps: the full schedule). */
  readonly sampleSteps?: number;
  /** The strided plan's noise (reverse-plan.ts): 1 DDPM's steps over the jumps (default), 0 deterministic DDIM. */
  readonly eta?: number;
}

/** Async only to yield between steps, so Ctrl-C and the progress bar get their turn. */
export async function sampleRows(
  denoiser: { readonly shape: DenoiserShape; readonly weights: Float32Array },
  dNum: number,
  spans: SpanGeometry,
  schedule: Schedule,
  rows: number,
  options: SampleOptions,
): Promise<EncodedRows> {
  // The same network the training ran, dropout off; it lays out its buffers once for the largest batch.
  const nets = await netMaker(activeBackend());
  const model = nets(denoiserSpec({ ...denoiser.shape, dropout: 0 }), denoiser.weights, false);
  try {
    return await sampleWithNet(model, dNum, spans, schedule, rows, options);
  } finally {
    model.dispose();
  }
}

/** The reverse process over any network with the denoiser's inputs and output (the trained one, or a test's exact one). */
export async function sampleWithNet(
  model: Pick<Net, 'forward'>,
  dNum: number,
  spans: SpanGeometry,
  schedule: Schedule,
  rows: number,
  options: SampleOptions,
): Promise<EncodedRows> {
  const nSpans = spans.sizes.length;
  const numeric = new Float32Array(rows * dNum);
  const classes = new Int32Array(rows * nSpans);
  const timeTable = timeFeatureTable(schedule.steps);
  // The fused engine samples faster in batches whose activations stay in cache (512 rows beat 1,024 and
  // 4,096 by about 20 % on adult); TensorFlow.js pays per operation, so it wants large batches.
  const batchSize = options.batchSize ?? (activeBackend() === 'fused' ? 512 : 4096);
  const categorical = new MultinomialStep(dNum, spans, schedule, Math.min(batchSize, rows));
  const plan = reversePlan(schedule, options.sampleSteps ?? schedule.steps, options.eta ?? 1);
  for (let start = 0; start < rows; start += batchSize) {
    const size = Math.min(batchSize, rows - start);
    const batch = await sampleBatch(model, categorical, dNum, spans, schedule, plan, timeTable, size, options);
    numeric.set(batch.numeric, start * dNum);
    classes.set(batch.classes, start * nSpans);
    options.onProgress?.(start + size, rows);
  }
  return { rows, numeric, classes };
}

async function sampleBatch(
  model: Pick<Net, 'forward'>,
  categorical: MultinomialStep,
  dNum: number,
  spans: SpanGeometry,
  schedule: Schedule,
  plan: readonly ReverseJump[],
  timeTable: Float32Array,
  size: number,
  options: SampleOptions,
): Promise<EncodedRows> {
  const { rng } = options;
  const nSpans = spans.sizes.length;
  const width = dNum + spans.width;
  const x = fillStandardNormal(new Float32Array(size * dNum), rng);
  const classes = new Int32Array(size * nSpans);
  for (let i = 0; i < size; i++) for (let s = 0; s < nSpans; s++) classes[i * nSpans + s] = rng.int(spans.sizes[s]);
  const input = new Float32Array(size * width);
  const noise = new Float32Array(size * dNum);
  // Every row of a step shares its timestep: one row of time features, index 0 for all.
  const step = new Int32Array(size);
  for (const jump of plan) {
    const { t } = jump;
    await new Promise((resolve) => setImmediate(resolve));
    options.signal?.throwIfAborted();
    input.fill(0);
    for (let i = 0; i < size; i++) {
      input.set(x.subarray(i * dNum, (i + 1) * dNum), i * width);
      for (let s = 0; s < nSpans; s++) input[i * width + dNum + spans.offsets[s] + classes[i * nSpans + s]] = 1;
    }
    const output = model.forward({
      [X]: input,
      [TIME]: timeTable.subarray(t * TIME_DIM, (t + 1) * TIME_DIM),
      [STEP]: step,
    });
    stepNumeric(x, output, size, dNum, width, schedule, jump, rng, noise);
    categorical.jump(output, classes, size, jump, rng);
  }
  return { rows: size, numeric: x, classes };
}

function stepNumeric(
  x: Float32Array,
  output: Float32Array,
  size: number,
  dNum: number,
  width: number,
  schedule: Schedule,
  jump: ReverseJump,
  rng: Rng,
  noise: Float32Array,
): void {
  if (dNum === 0) return;
  const alphaBar = schedule.alphaBar[jump.t];
  const invKeep = 1 / Math.sqrt(alphaBar);
  const spread = Math.sqrt(1 - alphaBar);
  const { x0Coef: c0, xtCoef: ct, sd } = jump;
  if (sd > 0) fillStandardNormal(noise, rng);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < dNum; j++) {
      const xt = x[i * dNum + j];
      const x0 = Math.min(Math.max((xt - spread * output[i * width + j]) * invKeep, -NORMAL_LIMIT), NORMAL_LIMIT);
      x[i * dNum + j] = c0 * x0 + ct * xt + sd * noise[i * dNum + j];
    }
  }
}
