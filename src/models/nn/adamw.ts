/** AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, as torch.optim.AdamW computes it. */
import { tf } from '../../core/backend.js';

export interface AdamWOptions {
  readonly weightDecay: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

export class AdamW {
  private readonly moments: { m: tf.Variable; v: tf.Variable }[];
  private step = 0;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;

  constructor(
    private readonly variables: tf.Variable[],
    private readonly options: AdamWOptions,
  ) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    // Created in tidy so the zero tensors are freed; the variables keep their own reference.
    this.moments = tf.tidy(() => variables.map((v) => ({ m: tf.variable(tf.zerosLike(v), false), v: tf.variable(tf.zerosLike(v), false) })));
  }

  /** One update with learning rate `lr`; `grads` in the order of the variables. Call inside tf.tidy. */
  apply(grads: tf.Tensor[], lr: number): void {
    this.step++;
    const { beta1, beta2 } = this;
    const stepSize = lr / (1 - beta1 ** this.step);
    const secondCorrection = 1 - beta2 ** this.step;
    const decay = 1 - lr * this.options.weightDecay;
    this.variables.forEach((param, i) => {
      const g = grads[i];
      const { m, v } = this.moments[i];
      m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
      v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
      const denominator = tf.add(tf.sqrt(tf.div(v, secondCorrection)), this.epsilon);
      param.assign(tf.sub(tf.mul(param, decay), tf.mul(tf.div(m, denominator), stepSize)));
    });
  }

  dispose(): void {
    for (const { m, v } of this.moments) {
      m.dispose();
      v.dispose();
    }
  }
}
