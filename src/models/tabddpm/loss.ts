/**
 * The mixed TabDDPM loss: MSE of the predicted noise on the numeric part, plus the multinomial
 * diffusion KL (decoder NLL at t = 0) on the categorical spans, weighted T / spans as the
 * reference does (vb_stochastic with uniform t). The target's entropy is a constant, so the
 * gradient only needs the cross-entropy -sum q log p.
 */
import { tf } from '../../core/backend.js';
import { matMulConstant, type ConstantMatrix } from '../nn/constant-matmul.js';

/** Membership of each one-hot position in its span: [dCat, spans] and its transpose. */
export interface SpanSums {
  readonly toSpans: ConstantMatrix;
  readonly fromSpans: ConstantMatrix;
}

export interface BatchTensors {
  readonly noise: tf.Tensor2D | null;
  readonly mixScale: tf.Tensor2D | null;
  readonly mixShift: tf.Tensor2D | null;
  readonly target: tf.Tensor2D | null;
}

/** Logits beyond +-30 are saturated anyway; the clip keeps exp finite in float32 without a per-span max. */
const LOGIT_LIMIT = 30;

export interface LossParts {
  readonly total: tf.Scalar;
  readonly gaussian: tf.Scalar;
  readonly crossEntropy: tf.Scalar;
}

export function mixedLoss(output: tf.Tensor2D, batch: BatchTensors, dNum: number, spans: SpanSums | null, steps: number): LossParts {
  const size = output.shape[0];
  const zero = tf.scalar(0);
  let gaussian: tf.Scalar = zero;
  if (dNum > 0 && batch.noise) {
    const predicted = output.shape[1] === dNum ? output : tf.slice(output, [0, 0], [size, dNum]);
    gaussian = tf.mean(tf.squaredDifference(predicted, batch.noise));
  }
  let crossEntropy: tf.Scalar = zero;
  let categorical: tf.Scalar = zero;
  if (spans && batch.target && batch.mixScale && batch.mixShift) {
    const logits = dNum > 0 ? tf.slice(output, [0, dNum], [size, output.shape[1] - dNum]) : output;
    const e = tf.exp(tf.clipByValue(logits, -LOGIT_LIMIT, LOGIT_LIMIT)) as tf.Tensor2D;
    const p0 = tf.div(e, matMulConstant(matMulConstant(e, spans.toSpans), spans.fromSpans)) as tf.Tensor2D;
    const unnormalised = tf.add(tf.mul(p0, batch.mixScale), batch.mixShift) as tf.Tensor2D;
    const logNormaliser = tf.sum(tf.log(matMulConstant(unnormalised, spans.toSpans)));
    crossEntropy = tf.div(tf.sub(logNormaliser, tf.sum(tf.mul(batch.target, tf.log(unnormalised)))), size) as tf.Scalar;
    const spanCount = spans.toSpans.matrix.shape[1];
    categorical = tf.mul(crossEntropy, steps / spanCount) as tf.Scalar;
  }
  return { total: tf.add(gaussian, categorical) as tf.Scalar, gaussian, crossEntropy };
}
