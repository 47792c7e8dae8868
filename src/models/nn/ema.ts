/** An exponential moving average of weights (the copy TabDDPM samples with). */
import { tf } from '../../core/backend.js';

export class WeightAverage {
  readonly averages: tf.Variable[];
  constructor(
    private readonly variables: tf.Variable[],
    private readonly rate: number,
  ) {
    this.averages = tf.tidy(() => variables.map((v) => tf.variable(v.clone(), false)));
  }

  /** average = rate * average + (1 - rate) * weight. Call inside tf.tidy. */
  update(): void {
    this.variables.forEach((v, i) => {
      const a = this.averages[i];
      a.assign(tf.add(tf.mul(a, this.rate), tf.mul(v, 1 - this.rate)));
    });
  }
}
