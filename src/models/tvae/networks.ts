/**
 * TVAE's networks (Xu et al. 2019, as the reference's Encoder and Decoder): the encoder maps a
 * row through ReLU layers to mu and log-variance of the latent code (one dense node of twice the
 * embedding width: the reference's fc1 and fc2 side by side), the decoder maps a code through
 * ReLU layers to a linear output as wide as the row, and one learned sigma per scalar (tanh) span
 * scales the reconstruction error. The three are one parameter group, laid out encoder, decoder,
 * sigmas, so one Adam steps them all as the reference's optimizer does.
 */
import type { Rng } from '../../core/rng.js';
import { initialNetWeights } from '../nn/init.js';
import { weightCount, type NetNode, type NetSpec } from '../nn/spec.js';

/** The reference's hidden layers: compress_dims and decompress_dims (128, 128). */
export const HIDDEN = [128, 128] as const;
/** The reference's starting sigma and its clamp after every step. */
export const SIGMA_START = 0.1;
export const SIGMA_MIN = 0.01;
export const SIGMA_MAX = 1;

export const ROW = 'row';
export const CODE = 'code';

export interface TvaeShape {
  /** The encoded row's width (the layout's). */
  readonly dataWidth: number;
  readonly embedding: number;
  /** Scalar spans: one sigma each. */
  readonly sigmas: number;
}

function mlp(input: NetNode, outputWidth: number): NetSpec {
  const nodes: NetNode[] = [input];
  for (const width of HIDDEN) {
    nodes.push({ op: 'dense', from: nodes.length - 1, width });
    nodes.push({ op: 'activation', from: nodes.length - 1, kind: 'relu' });
  }
  nodes.push({ op: 'dense', from: nodes.length - 1, width: outputWidth });
  return { nodes, output: nodes.length - 1 };
}

/** Row -> [mu | logvar], each `embedding` wide. */
export const encoderSpec = (shape: TvaeShape): NetSpec =>
  mlp({ op: 'input', name: ROW, width: shape.dataWidth }, 2 * shape.embedding);

/** Code -> the row's logits and pre-tanh scalars; the code's gradient flows back to the encoder. */
export const decoderSpec = (shape: TvaeShape): NetSpec =>
  mlp({ op: 'input', name: CODE, width: shape.embedding, gradient: true }, shape.dataWidth);

/** Where each part sits in the group's flat weights. */
export interface GroupLayout {
  readonly encoder: readonly [number, number];
  readonly decoder: readonly [number, number];
  readonly sigmas: readonly [number, number];
  readonly total: number;
}

export function groupLayout(shape: TvaeShape): GroupLayout {
  const encoder = weightCount(encoderSpec(shape));
  const decoder = weightCount(decoderSpec(shape));
  return {
    encoder: [0, encoder],
    decoder: [encoder, encoder + decoder],
    sigmas: [encoder + decoder, encoder + decoder + shape.sigmas],
    total: encoder + decoder + shape.sigmas,
  };
}

/** PyTorch's Linear init for both networks, seeded; sigmas at 0.1. */
export function initialGroupWeights(shape: TvaeShape, rng: Rng): Float32Array {
  const layout = groupLayout(shape);
  const flat = new Float32Array(layout.total);
  flat.set(initialNetWeights(encoderSpec(shape), rng), layout.encoder[0]);
  flat.set(initialNetWeights(decoderSpec(shape), rng), layout.decoder[0]);
  flat.fill(SIGMA_START, layout.sigmas[0], layout.sigmas[1]);
  return flat;
}

export const part = (flat: Float32Array, range: readonly [number, number]): Float32Array =>
  flat.subarray(range[0], range[1]);
