/** Seeded parameter initialisation, so a fixed --seed gives the same model on every backend. */
import { tf } from '../../core/backend.js';
import type { Rng } from '../../core/rng.js';
import type { DenseParams } from './dense.js';

/** A trainable variable holding `values` (the temporary tensor is freed; the variable keeps the data). */
export function variableFrom(values: Float32Array, shape: number[]): tf.Variable {
  const initial = tf.tensor(values, shape);
  const variable = tf.variable(initial, true);
  initial.dispose();
  return variable;
}

/** PyTorch's nn.Linear default: weights and bias uniform in +-1/sqrt(fan_in). */
export function initDense(fanIn: number, fanOut: number, rng: Rng): DenseParams {
  const bound = 1 / Math.sqrt(fanIn);
  const uniform = (n: number): Float32Array => Float32Array.from({ length: n }, () => (2 * rng.next() - 1) * bound);
  return { kernel: variableFrom(uniform(fanIn * fanOut), [fanIn, fanOut]), bias: variableFrom(uniform(fanOut), [fanOut]) };
}
