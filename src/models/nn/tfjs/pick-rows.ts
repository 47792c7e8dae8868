/**
 * One-hot row selection P . E with a plain-matMul gradient (P^T . dy, P^T given). tf.gather would
 * do, but its gradient needs UnsortedSegmentSum, which the wasm backend lacks.
 */
import { tf } from '../../../core/backend.js';

export function pickRows(
  pick: { readonly matrix: tf.Tensor2D; readonly transposed: tf.Tensor2D },
  rows: tf.Tensor2D,
): tf.Tensor2D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const source = args[0] as tf.Tensor2D;
    return { value: tf.matMul(pick.matrix, source), gradFunc: (dy) => tf.matMul(pick.transposed, dy as tf.Tensor2D) };
  });
  return op(rows) as tf.Tensor2D;
}
