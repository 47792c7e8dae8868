/**
 * Every place AIM's fit touches the private rows through a DP mechanism, behind one interface:
 * Gaussian counts, the thresholded histogram that releases heavy values, and the exponential
 * mechanism. The model is built from these outputs and the public statistics alone, which the
 * neighbouring-input test checks by replaying one run's outputs on a table with one row more.
 * In a real fit all noise is the operating system's CSPRNG, exactly sampled: never seeded.
 */
import { addDiscreteGaussian } from '../../privacy/discrete-gaussian.js';
import { exponentialMechanism } from '../../privacy/exponential-mechanism.js';

export interface Released {
  /** The values whose noisy count cleared the threshold, ascending, with those noisy counts. */
  readonly values: number[];
  readonly counts: number[];
}

export interface Mechanisms {
  /** Each count plus N_Z(0, sigma^2): one row moves one count by one (L2 sensitivity 1). */
  gaussian(label: string, counts: Float64Array, sigma: number): Float64Array;
  /**
   * The values present (ascending, distinct) whose count plus N_Z(0, sigma^2) clears
   * `threshold`: a value only one row holds clears it with the small probability the caller
   * set the threshold for, and is accounted as that delta.
   */
  thresholded(label: string, values: Float64Array, counts: Float64Array, sigma: number, threshold: number): Released;
  /** The index chosen with probability proportional to exp(epsilon score / (2 sensitivity)). */
  exponential(label: string, scores: Float64Array, epsilon: number, sensitivity: number): number;
}

export const secureMechanisms: Mechanisms = {
  gaussian: (_label, counts, sigma) => addDiscreteGaussian(counts, sigma),
  thresholded(_label, values, counts, sigma, threshold) {
    const noisy = addDiscreteGaussian(counts, sigma);
    const out: Released = { values: [], counts: [] };
    for (let i = 0; i < values.length; i++)
      if (noisy[i] > threshold) {
        out.values.push(values[i]);
        out.counts.push(noisy[i]);
      }
    return out;
  },
  exponential: (_label, scores, epsilon, sensitivity) => exponentialMechanism(scores, epsilon, sensitivity),
};

/** Without DP: the counts themselves, and the best-scoring candidate. */
export const exactMechanisms: Mechanisms = {
  gaussian: (_label, counts) => Float64Array.from(counts),
  thresholded(_label, values, counts, _sigma, threshold) {
    const out: Released = { values: [], counts: [] };
    for (let i = 0; i < values.length; i++)
      if (counts[i] > threshold) {
        out.values.push(values[i]);
        out.counts.push(counts[i]);
      }
    return out;
  },
  exponential(_label, scores) {
    let best = 0;
    for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
    return best;
  },
};
