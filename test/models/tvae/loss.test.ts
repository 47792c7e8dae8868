import { describe, expect, it } from '@jest/globals';
import { createRng } from '../../../src/core/rng.js';
import { klLoss, reconstructionLoss, type Reconstruction } from '../../../src/models/tvae/loss.js';

// Two rows of width 6: a scalar at 0, a softmax of 3 at 1-3, a scalar at 4, a softmax of 1 at 5.
const SPEC: Reconstruction = {
  spans: {
    scalars: [0, 4],
    softmax: [
      { start: 1, size: 3 },
      { start: 5, size: 1 },
    ],
  },
  width: 6,
  factor: 2,
};
const TARGET = Float32Array.from([0.5, 0, 1, 0, -0.25, 1, -0.9, 1, 0, 0, 0.75, 1]);
const BATCH = 5; // the whole batch: these two rows are one shard's share

function loss(output: Float32Array, sigmas: Float32Array): number {
  return reconstructionLoss(SPEC, output, TARGET, 2, sigmas, BATCH, new Float32Array(12), new Float32Array(2));
}

describe("TVAE's loss", () => {
  it('is the Gaussian NLL of the tanh scalars plus the cross-entropy of the spans, times factor / batch', () => {
    const output = Float32Array.from([0.2, 1, 2, 3, -0.1, 0.4, -1, 0.5, 0, -0.5, 1, -2]);
    const sigmas = Float32Array.from([0.1, 0.5]);
    const nll = (x: number, r: number, s: number) => (x - Math.tanh(r)) ** 2 / (2 * s * s) + Math.log(s);
    const ce = (logits: number[], k: number) => Math.log(logits.reduce((a, l) => a + Math.exp(l), 0)) - logits[k];
    const expected =
      (2 / 5) *
      (nll(0.5, 0.2, 0.1) +
        nll(-0.25, -0.1, 0.5) +
        ce([1, 2, 3], 1) +
        ce([0.4], 0) +
        nll(-0.9, -1, 0.1) +
        nll(0.75, 1, 0.5) +
        ce([0.5, 0, -0.5], 0) +
        ce([-2], 0));
    expect(loss(output, sigmas)).toBeCloseTo(expected, 5);
  });

  it('has the gradient of its value in the output and the sigmas (central differences)', () => {
    const rng = createRng(3);
    const output = Float32Array.from({ length: 12 }, () => 2 * rng.next() - 1);
    const sigmas = Float32Array.from([0.3, 0.7]);
    const outputGradient = new Float32Array(12);
    const sigmaGradient = new Float32Array(2);
    reconstructionLoss(SPEC, output, TARGET, 2, sigmas, BATCH, outputGradient, sigmaGradient);
    const h = 1e-3;
    const central = (values: Float32Array, i: number, f: () => number) => {
      const kept = values[i];
      values[i] = kept + h;
      const up = f();
      values[i] = kept - h;
      const down = f();
      values[i] = kept;
      return (up - down) / (2 * h);
    };
    for (let i = 0; i < 12; i++)
      expect(outputGradient[i]).toBeCloseTo(
        central(output, i, () => loss(output, sigmas)),
        3,
      );
    for (let s = 0; s < 2; s++)
      expect(sigmaGradient[s]).toBeCloseTo(
        central(sigmas, s, () => loss(output, sigmas)),
        3,
      );
  });

  it('skips a span with no class (a level the layout lacks)', () => {
    const target = TARGET.slice();
    target.fill(0, 1, 4);
    const gradient = new Float32Array(12);
    const output = new Float32Array(12).fill(0.3);
    reconstructionLoss(SPEC, output, target, 2, Float32Array.from([1, 1]), BATCH, gradient, new Float32Array(2));
    expect(Array.from(gradient.subarray(1, 4))).toEqual([0, 0, 0]);
  });

  it('computes KL(N(mu, exp(logvar)) || N(0, 1)) over the batch and adds its gradient', () => {
    // One row, embedding 2: [mu1, mu2 | logvar1, logvar2].
    const encoded = Float32Array.from([0.5, -1, 0.2, -0.4]);
    const gradient = new Float32Array(4).fill(1);
    const kl = klLoss(encoded, 1, 2, 4, gradient);
    const closedForm = (mu: number, variance: number) => 0.5 * (variance + mu * mu - 1 - Math.log(variance));
    expect(kl).toBeCloseTo((closedForm(0.5, Math.exp(0.2)) + closedForm(-1, Math.exp(-0.4))) / 4, 6);
    expect(gradient[0]).toBeCloseTo(1 + 0.5 / 4, 6);
    expect(gradient[1]).toBeCloseTo(1 - 1 / 4, 6);
    expect(gradient[2]).toBeCloseTo(1 + (0.5 * (Math.exp(0.2) - 1)) / 4, 6);
    expect(gradient[3]).toBeCloseTo(1 + (0.5 * (Math.exp(-0.4) - 1)) / 4, 6);
  });
});
