/**
 * A dense layer whose backward pass uses only plain matMuls. tfjs's own gradient calls matMul
 * with transposeA/transposeB, which the wasm backend runs 5-17x slower (../shared/TFJS-NOTES.md);
 * transposing explicitly first gives the same gradient on the fast path.
 */
import { tf } from '../../../core/backend.js';
import './gradients.js';

export type Activation = 'linear' | 'relu';

export interface DenseParams {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;
}

const denseOps = {
  linear: makeDense('linear'),
  relu: makeDense('relu'),
};

function makeDense(activation: Activation) {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, kernel, bias] = args as tf.Tensor2D[];
    const save = args[3] as tf.GradSaveFunc;
    const y = tf.fused.matMul({ a: x, b: kernel, bias, activation });
    save(activation === 'relu' ? [x, kernel, y] : [x, kernel]);
    return {
      value: y,
      gradFunc: (dy, saved) => {
        const [xs, ks, ys] = saved as tf.Tensor2D[];
        const g = activation === 'relu' ? tf.mul(dy, tf.step(ys)) : (dy as tf.Tensor2D);
        return [tf.matMul(g, tf.transpose(ks)), tf.matMul(tf.transpose(xs), g), tf.sum(g, 0)];
      },
    };
  });
}

export function dense(x: tf.Tensor2D, params: DenseParams, activation: Activation = 'linear'): tf.Tensor2D {
  return denseOps[activation](x, params.kernel, params.bias) as tf.Tensor2D;
}
