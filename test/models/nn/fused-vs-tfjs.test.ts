import { describe, expect, it } from '@jest/globals';
import { useBackend } from '../../../src/core/backend.js';
import { createRng } from '../../../src/core/rng.js';
import { FusedNet } from '../../../src/models/nn/fused/fused-net.js';
import type { Net } from '../../../src/models/nn/net.js';
import { TfjsNet } from '../../../src/models/nn/tfjs/tfjs-net.js';
import { weightCount, type NetSpec } from '../../../src/models/nn/spec.js';
import { denoiserSpec, initialWeights, TIME_DIM } from '../../../src/models/tabddpm/denoiser.js';

/** One network description, two backends: the same weights and batch give the same loss and gradients. */
describe('the fused engine against TensorFlow.js', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`gives TabDDPM's denoiser the same output and gradients as tfjs ${backend}, to float32 tolerance`, async () => {
      await useBackend(backend);
      const rng = createRng(21);
      const shape = { inputWidth: 13, layers: 2, width: 24 };
      const spec = denoiserSpec(shape);
      const weights = initialWeights(shape, rng);
      const rows = 37;
      const steps = 5;
      const inputs = {
        x: Float32Array.from({ length: rows * 13 }, () => rng.next() * 2 - 1),
        time: Float32Array.from({ length: steps * TIME_DIM }, () => rng.next() * 2 - 1),
        step: Int32Array.from({ length: rows }, () => rng.int(steps)),
      };
      const r = Float32Array.from({ length: rows * 13 }, () => rng.next() - 0.5);
      const run = (net: Net) => {
        const output = net.forward(inputs).slice();
        const gradient = new Float32Array(weights.length);
        let loss = 0;
        net.gradient(
          inputs,
          0,
          (out) => {
            for (let i = 0; i < out.length; i++) loss += out[i] * r[i];
            return { loss, gradient: r };
          },
          gradient,
        );
        net.dispose();
        return { output, gradient, loss };
      };
      const fused = run(new FusedNet(spec, weights));
      const tfjs = run(new TfjsNet(spec, weights));
      expect(fused.loss).toBeCloseTo(tfjs.loss, 4);
      const scale = Math.max(...tfjs.gradient.map(Math.abs));
      for (let i = 0; i < fused.output.length; i++) expect(fused.output[i]).toBeCloseTo(tfjs.output[i], 5);
      for (let i = 0; i < weights.length; i++)
        expect(Math.abs(fused.gradient[i] - tfjs.gradient[i])).toBeLessThan(1e-5 * scale);
    });
  }

  it('gives an output head of tanh, softmax and linear spans the same values and gradients as tfjs', async () => {
    await useBackend('cpu');
    const rng = createRng(22);
    const spec: NetSpec = {
      nodes: [
        { op: 'input', name: 'x', width: 6 },
        { op: 'dense', from: 0, width: 10 },
        { op: 'activation', from: 1, kind: 'leaky_relu', slope: 0.2 },
        { op: 'dense', from: 2, width: 7 },
        {
          op: 'head',
          from: 3,
          spans: [
            { size: 2, activation: 'tanh' },
            { size: 4, activation: 'softmax' },
            { size: 1, activation: 'linear' },
          ],
        },
      ],
      output: 4,
    };
    const weights = Float32Array.from({ length: weightCount(spec) }, () => rng.next() - 0.5);
    const inputs = { x: Float32Array.from({ length: 9 * 6 }, () => rng.next() * 2 - 1) };
    const r = Float32Array.from({ length: 9 * 7 }, () => rng.next() - 0.5);
    const run = (net: Net) => {
      const output = net.forward(inputs).slice();
      const gradient = new Float32Array(weights.length);
      net.gradient(inputs, 0, () => ({ loss: 0, gradient: r }), gradient);
      net.dispose();
      return { output, gradient };
    };
    const fused = run(new FusedNet(spec, weights));
    const tfjs = run(new TfjsNet(spec, weights));
    for (let i = 0; i < fused.output.length; i++) expect(fused.output[i]).toBeCloseTo(tfjs.output[i], 5);
    for (let i = 0; i < weights.length; i++) expect(fused.gradient[i]).toBeCloseTo(tfjs.gradient[i], 5);
  });
});
