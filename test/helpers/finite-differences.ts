import { expect } from '@jest/globals';
import { createRng, type Rng } from '../../src/core/rng.js';
import { FusedNet } from '../../src/models/nn/fused/fused-net.js';
import type { Net } from '../../src/models/nn/net.js';
import { nodeWidths, weightCount, type NetInputs, type NetSpec } from '../../src/models/nn/spec.js';

/**
 * Every layer kind of the fused engine against central finite differences of its own forward
 * pass: the loss is sum(output * R) for a fixed random R, so d loss / d output = R.
 */
export const uniform = (n: number, rng: Rng, scale = 1) =>
  Float32Array.from({ length: n }, () => (rng.next() * 2 - 1) * scale);

export function lossAt(net: Net, inputs: NetInputs, seed: number, r: Float32Array, weights: Float32Array): number {
  net.setWeights(weights);
  let loss = 0;
  net.gradient(
    inputs,
    seed,
    (output) => {
      for (let i = 0; i < output.length; i++) loss += output[i] * r[i];
      return { loss, gradient: new Float32Array(output.length) };
    },
    new Float32Array(weights.length),
  );
  return loss;
}

export function checkAgainstFiniteDifferences(spec: NetSpec, inputs: NetInputs, outputRows: number, seed = 17): void {
  const rng = createRng(9);
  const weights = uniform(weightCount(spec), rng, 0.5);
  const outWidth = nodeWidths(spec)[spec.output];
  const r = uniform(outputRows * outWidth, rng);
  const net = new FusedNet(spec, weights);
  const gradient = new Float32Array(weights.length);
  net.gradient(inputs, seed, () => ({ loss: 0, gradient: r }), gradient);
  // Float32 forward passes: a step of 1e-2 keeps rounding small against the O(h^2) truncation.
  const h = 1e-2;
  for (let i = 0; i < weights.length; i += Math.max(1, Math.floor(weights.length / 60))) {
    const up = weights.slice();
    const down = weights.slice();
    up[i] += h;
    down[i] -= h;
    const numeric = (lossAt(net, inputs, seed, r, up) - lossAt(net, inputs, seed, r, down)) / (2 * h);
    expect(Math.abs(gradient[i] - numeric)).toBeLessThan(2e-3 * Math.max(1, Math.abs(numeric)));
  }
}
