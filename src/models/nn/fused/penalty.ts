/**
 * WGAN-GP's gradient penalty (Gulrajani et al. 2017), P = mean_r (||d out_r / d x_r|| - 1)^2,
 * and what its weight gradient needs. For a network that is piecewise linear in its input
 * (dense, ReLU, LeakyReLU, dropout, add, concat), g_r = d out_r / d x_r is linear in each
 * weight matrix once the activation pattern is fixed, so dP/dW = d/dW sum_r <g_r(W), v_r> with
 * v_r = dP/dg_r held fixed; <g_r, v_r> is the network's directional derivative along v_r, the
 * output of the linearised network (the same masks, no biases) fed v_r. Its gradient is the
 * tangent entering each dense layer times that layer's ordinary backward gradient.
 */
import type { NetSpec } from '../spec.js';

const PIECEWISE_LINEAR = new Set(['relu', 'leaky_relu']);

/** The input a penalty differentiates by, or -1 when the network is not one a penalty can run on. */
export function checkPenaltyNet(spec: NetSpec, widths: readonly number[]): number {
  if (widths[spec.output] !== 1) return -1;
  const inputs = spec.nodes.flatMap((node, i) => (node.op === 'input' && node.gradient ? [i] : []));
  const linear = spec.nodes.every(
    (node) =>
      node.op === 'input' ||
      node.op === 'dense' ||
      node.op === 'dropout' ||
      node.op === 'add' ||
      node.op === 'concat' ||
      (node.op === 'activation' && PIECEWISE_LINEAR.has(node.kind)),
  );
  return linear && inputs.length === 1 ? inputs[0] : -1;
}

/** The penalty over m rows of input gradients g [m, width], and v = dP/dg, where a zero gradient contributes no direction. */
export function penaltyDirections(
  g: Float32Array,
  m: number,
  width: number,
): { penalty: number; directions: Float32Array } {
  const directions = new Float32Array(g.length);
  let penalty = 0;
  for (let r = 0; r < m; r++) {
    let squares = 0;
    for (let j = 0; j < width; j++) squares += g[r * width + j] ** 2;
    const norm = Math.sqrt(squares);
    penalty += (norm - 1) ** 2;
    if (norm === 0) continue;
    const scale = (2 * (norm - 1)) / (norm * m);
    for (let j = 0; j < width; j++) directions[r * width + j] = scale * g[r * width + j];
  }
  return { penalty: penalty / Math.max(m, 1), directions };
}
