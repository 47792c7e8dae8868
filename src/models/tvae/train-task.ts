/**
 * TVAE as a task of the training engine (../nn/train): one parameter group (encoder, decoder,
 * sigmas) stepped by Adam with l2 weight decay and the sigmas clamped after each step, as the
 * reference. In each shard the encoder's gradient pass runs, inside its loss, the decoder's: the
 * code z = mu + eps exp(logvar / 2) goes through the decoder, whose input gradient comes back as
 * d loss / d z, and with the KL term gives d loss / d (mu, logvar). Under DP-SGD each row's eps is
 * its own draw keyed by the row's identity, so no row's presence moves another's.
 */
import { fillStandardNormal } from '../../core/stats/random.js';
import type { Net } from '../nn/net.js';
import { clipFactors } from '../../privacy/dp-sgd/clip.js';
import type { PrivateSettings } from '../nn/train/private-plan.js';
import { privateDraws, type BatchSlice, type TaskFactory, type TrainJob } from '../nn/train/task.js';
import { STREAM } from '../../privacy/dp-sgd/keystream.js';
import { klLoss, reconstructionLoss, sigmaRowGradients, type LossSpans } from './loss.js';
import {
  CODE,
  ROW,
  SIGMA_MAX,
  SIGMA_MIN,
  decoderSpec,
  encoderSpec,
  type GroupLayout,
  groupLayout,
  part,
  type TvaeShape,
} from './networks.js';
import type { TvaeParams } from './space.js';

export const VAE = 'vae';
/** The reference's l2scale: torch Adam's weight_decay. */
export const L2_SCALE = 1e-5;

export interface TvaePayload {
  /** Encoded training rows, rows x shape.dataWidth. */
  readonly data: Float32Array;
  readonly shape: TvaeShape;
  readonly spans: LossSpans;
  readonly params: TvaeParams;
}

export interface TvaeJobOptions {
  readonly seed: number;
  readonly initialWeights: Float32Array;
  readonly reportEvery: number;
  readonly checkEvery: number;
  /** DP-SGD: every weight of the one group sees real rows, so the group is clipped and noised. */
  readonly privacy?: PrivateSettings;
}

export function tvaeJob(payload: TvaePayload, options: TvaeJobOptions): TrainJob<TvaePayload> {
  const { params, shape } = payload;
  const layout = groupLayout(shape);
  return {
    task: new URL('./train-task.js', import.meta.url).href,
    payload,
    groups: [
      {
        name: VAE,
        initial: options.initialWeights,
        optimizer: { lr: params.lr, lrSchedule: 'constant', weightDecay: L2_SCALE, decay: 'l2' },
        clamp: { start: layout.sigmas[0], end: layout.sigmas[1], min: SIGMA_MIN, max: SIGMA_MAX },
      },
    ],
    rows: payload.data.length / shape.dataWidth,
    batchSize: params.batch_size,
    epochs: params.n_iter,
    seed: options.seed,
    reportEvery: options.reportEvery,
    checkEvery: options.checkEvery,
    ...(options.privacy ? { privacy: { ...options.privacy, groups: [VAE] } } : {}),
  };
}

export const createTask: TaskFactory<TvaePayload> = (payload, context) => {
  const { data, shape, spans, params } = payload;
  const layout = groupLayout(shape);
  const initial = context.initial[VAE];
  const encoder = context.nets(encoderSpec(shape), part(initial, layout.encoder));
  const decoder = context.nets(decoderSpec(shape), part(initial, layout.decoder));
  let sigmas = part(initial, layout.sigmas).slice();
  const reconstruction = { spans, width: shape.dataWidth, factor: params.loss_factor };
  const { rng } = context;
  const e = shape.embedding;
  const width = shape.dataWidth;
  // Under DP-SGD each row's eps is its own keyed draw (none from the seeded stream), whichever rows share its batch.
  const keyedEps = (slice: BatchSlice): Float32Array => {
    const draws = privateDraws(context).perRow(STREAM.example, slice.step, slice.rows, 2 * Math.ceil(e / 2));
    const eps = new Float32Array(slice.rows.length * e);
    for (let i = 0; i < slice.rows.length; i++) fillStandardNormal(eps.subarray(i * e, (i + 1) * e), draws(i));
    return eps;
  };
  return {
    gradient(_group, slice, out) {
      const rows = slice.rows.length;
      // DP-SGD: each row's own loss (a batch of one), its whole gradient (encoder, decoder, sigmas) clipped, summed.
      const clip = slice.clipNorm;
      const batchSize = clip === undefined ? slice.batchSize : 1;
      const options = clip === undefined ? undefined : { perExample: true };
      let sigmaRows: Float64Array = new Float64Array(0);
      const target = new Float32Array(rows * width);
      slice.rows.forEach((row, i) => target.set(data.subarray(row * width, (row + 1) * width), i * width));
      const eps = clip === undefined ? fillStandardNormal(new Float32Array(rows * e), rng) : keyedEps(slice);
      const code = new Float32Array(rows * e);
      const outputGradient = new Float32Array(rows * width);
      const sigmaGradient = part(out, layout.sigmas);
      const encoderLoss = (encoded: Float32Array) => {
        reparameterise(encoded, eps, rows, e, code);
        const reconstructionPart = decoder.gradient(
          { [CODE]: code },
          0,
          (output) => {
            const loss = reconstructionLoss(
              reconstruction,
              output,
              target,
              rows,
              sigmas,
              batchSize,
              outputGradient,
              sigmaGradient,
            );
            if (clip !== undefined) sigmaRows = sigmaRowGradients(reconstruction, output, target, rows, sigmas);
            return { loss, gradient: outputGradient };
          },
          part(out, layout.decoder),
          options,
        );
        const gradient = encodedGradient(decoder.inputGradient(CODE), encoded, eps, rows, e);
        const kl = klLoss(encoded, rows, e, batchSize, gradient);
        return { loss: reconstructionPart + kl, gradient };
      };
      const loss = encoder.gradient({ [ROW]: target }, 0, encoderLoss, part(out, layout.encoder), options);
      if (clip === undefined) return loss;
      clipRows({ encoder, decoder, sigmaRows, sigmaCount: shape.sigmas, rows, clip }, layout, out);
      return loss / slice.batchSize;
    },
    setWeights(_group, weights) {
      encoder.setWeights(part(weights, layout.encoder));
      decoder.setWeights(part(weights, layout.decoder));
      sigmas = part(weights, layout.sigmas).slice();
    },
    dispose() {
      encoder.dispose();
      decoder.dispose();
    },
  };
};

/** The reparameterisation trick: code = mu + eps * exp(logvar / 2), per row, from the encoder's [mu | logvar]. */
function reparameterise(encoded: Float32Array, eps: Float32Array, rows: number, e: number, code: Float32Array): void {
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < e; j++) {
      const at = i * 2 * e;
      code[i * e + j] = encoded[at + j] + eps[i * e + j] * Math.exp(0.5 * encoded[at + e + j]);
    }
}

/** The code's gradient carried back through the reparameterisation onto the encoder's [mu | logvar]. */
function encodedGradient(
  codeGradient: Float32Array,
  encoded: Float32Array,
  eps: Float32Array,
  rows: number,
  e: number,
): Float32Array {
  const gradient = new Float32Array(rows * 2 * e);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < e; j++) {
      const at = i * 2 * e;
      const dz = codeGradient[i * e + j];
      gradient[at + j] = dz;
      gradient[at + e + j] = dz * eps[i * e + j] * 0.5 * Math.exp(0.5 * encoded[at + e + j]);
    }
  return gradient;
}

/**
 * DP-SGD: each row's whole gradient (encoder, decoder and sigmas) clipped to `clip` as one vector,
 * the clipped rows summed into `out`.
 */
function clipRows(
  rowsOf: {
    readonly encoder: Net;
    readonly decoder: Net;
    readonly sigmaRows: Float64Array;
    readonly sigmaCount: number;
    readonly rows: number;
    readonly clip: number;
  },
  layout: GroupLayout,
  out: Float32Array,
): void {
  const { encoder, decoder, sigmaRows, sigmaCount, rows, clip } = rowsOf;
  const norms = encoder.exampleNorms();
  const decoderNorms = decoder.exampleNorms();
  for (let r = 0; r < rows; r++) {
    norms[r] += decoderNorms[r];
    for (let s = 0; s < sigmaCount; s++) norms[r] += sigmaRows[r * sigmaCount + s] ** 2;
  }
  const factors = clipFactors(norms, clip);
  encoder.accumulate(factors, part(out, layout.encoder));
  decoder.accumulate(factors, part(out, layout.decoder));
  const sigmaGradient = part(out, layout.sigmas);
  sigmaGradient.fill(0);
  for (let r = 0; r < rows; r++)
    for (let s = 0; s < sigmaCount; s++) sigmaGradient[s] += factors[r] * sigmaRows[r * sigmaCount + s];
}
