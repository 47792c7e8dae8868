/** tfjs variables from plain arrays (apart from the starting weights, so the fused engine loads no TensorFlow.js). */
import { tf } from '../../../core/backend.js';

/** A trainable variable holding `values` (the temporary tensor is freed; the variable keeps the data). */
export function variableFrom(values: Float32Array, shape: number[]): tf.Variable {
  const initial = tf.tensor(values, shape);
  const variable = tf.variable(initial, true);
  initial.dispose();
  return variable;
}
