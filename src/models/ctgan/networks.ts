/**
 * CTGAN's networks as engine specs (the reference's Generator, Residual and Discriminator):
 *  - generator: per hidden size, a residual block dense -> batch norm -> ReLU concatenated with
 *    the block's input, then dense to the data width (raw outputs, before any activation);
 *  - head: the raw outputs through tanh (scalars) and Gumbel-softmax with tau 0.2 (one-hots),
 *    a network of its own so that the conditional loss can read the raw outputs;
 *  - discriminator: pac rows side by side (row-major rows are already packed), per hidden size
 *    dense -> LeakyReLU 0.2 -> dropout 0.5, then dense to one score.
 * Batch norm always uses the batch's statistics, as the reference, which never calls eval().
 */
import type { NetSpec } from '../nn/spec.js';
import type { OutputSpan } from './spans.js';

/** The reference's fixed sizes and constants. */
export const GENERATOR_DIMS = [256, 256] as const;
export const DISCRIMINATOR_DIMS = [256, 256] as const;
export const GUMBEL_TAU = 0.2;
const LEAKY_SLOPE = 0.2;
const DROPOUT = 0.5;

export const NOISE = 'z';
export const RAW = 'raw';
export const PACKED = 'x';

export function generatorSpec(inputWidth: number, dims: readonly number[], dataWidth: number): NetSpec {
  const nodes: NetSpec['nodes'][number][] = [{ op: 'input', name: NOISE, width: inputWidth }];
  let previous = 0;
  for (const width of dims) {
    const dense = nodes.push({ op: 'dense', from: previous, width }) - 1;
    const norm = nodes.push({ op: 'batch_norm', from: dense }) - 1;
    const relu = nodes.push({ op: 'activation', from: norm, kind: 'relu' }) - 1;
    previous = nodes.push({ op: 'concat', from: [relu, previous] }) - 1;
  }
  nodes.push({ op: 'dense', from: previous, width: dataWidth });
  return { nodes, output: nodes.length - 1 };
}

/** The generator's output activations; its input's gradient carries the loss back to the raw outputs. */
export function headSpec(spans: readonly OutputSpan[]): NetSpec {
  const width = spans.reduce((n, s) => n + s.size, 0);
  return {
    nodes: [
      { op: 'input', name: RAW, width, gradient: true },
      {
        op: 'head',
        from: 0,
        spans: spans.map((s) => ({ size: s.size, activation: s.activation === 'tanh' ? 'tanh' : 'gumbel_softmax' })),
        tau: GUMBEL_TAU,
      },
    ],
    output: 1,
  };
}

/** `packedWidth`: pac * (data width + condition width). The input's gradient serves the penalty and the generator. */
export function discriminatorSpec(packedWidth: number, dims: readonly number[]): NetSpec {
  const nodes: NetSpec['nodes'][number][] = [{ op: 'input', name: PACKED, width: packedWidth, gradient: true }];
  let previous = 0;
  for (const width of dims) {
    const dense = nodes.push({ op: 'dense', from: previous, width }) - 1;
    const leaky = nodes.push({ op: 'activation', from: dense, kind: 'leaky_relu', slope: LEAKY_SLOPE }) - 1;
    previous = nodes.push({ op: 'dropout', from: leaky, rate: DROPOUT }) - 1;
  }
  nodes.push({ op: 'dense', from: previous, width: 1 });
  return { nodes, output: nodes.length - 1 };
}
