/** x . W for a constant W, with a backward pass that is a plain matMul by a precomputed W^T (the wasm fast path). */
import { tf } from '../../core/backend.js';

export interface ConstantMatrix {
  readonly matrix: tf.Tensor2D;
  readonly transposed: tf.Tensor2D;
}

export function constantMatrix(values: Float32Array, rows: number, cols: number): ConstantMatrix {
  const matrix = tf.tensor2d(values, [rows, cols]);
  return { matrix, transposed: tf.keep(tf.transpose(matrix)) };
}

export function disposeConstant(c: ConstantMatrix): void {
  c.matrix.dispose();
  c.transposed.dispose();
}

export function matMulConstant(x: tf.Tensor2D, w: ConstantMatrix): tf.Tensor2D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor2D;
    return { value: tf.matMul(input, w.matrix), gradFunc: (dy) => tf.matMul(dy as tf.Tensor2D, w.transposed) };
  });
  return op(x) as tf.Tensor2D;
}
