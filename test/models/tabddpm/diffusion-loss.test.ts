import { describe, expect, it } from '@jest/globals';
import { createRng } from '../../../src/core/rng.js';
import { buildBatch, spanGeometry, type TrainingBatch } from '../../../src/models/tabddpm/batch.js';
import { timeFeatureTable } from '../../../src/models/tabddpm/denoiser.js';
import { DiffusionLoss } from '../../../src/models/tabddpm/diffusion-loss.js';
import { cosineSchedule, type Schedule } from '../../../src/models/tabddpm/schedule.js';

/**
 * An independent reference, in double precision and written from the definitions rather than the
 * kernel's algebra: the model's posterior over the previous class is proportional to
 * q(x_t | x_{t-1} = c) q(x_{t-1} = c | x_0 ~ p0), the true one to the same with x_0 = c0; the
 * loss is their cross-entropy (T / spans, batch mean) plus the noise MSE.
 */
function referenceLoss(
  output: Float32Array,
  batch: TrainingBatch,
  dNum: number,
  spans: ReturnType<typeof spanGeometry>,
  schedule: Schedule,
  batchSize: number,
): number {
  const width = dNum + spans.width;
  const nSpans = spans.sizes.length;
  let loss = 0;
  for (let i = 0; i < batch.size; i++) {
    for (let j = 0; j < dNum; j++)
      loss += (output[i * width + j] - batch.noise[i * dNum + j]) ** 2 / (batchSize * dNum);
    const t = batch.steps[i];
    const prevKeep = t === 0 ? 1 : schedule.alphaBarPrev[t];
    for (let s = 0; s < nSpans; s++) {
      const k = spans.sizes[s];
      const logits = Array.from({ length: k }, (_, c) => output[i * width + dNum + spans.offsets[s] + c]);
      const top = Math.max(...logits);
      const e = logits.map((l) => Math.exp(l - top));
      const p0 = e.map((v) => v / e.reduce((a, b) => a + b, 0));
      const noised = batch.noisedClass[i * nSpans + s];
      const c0 = batch.trueClass[i * nSpans + s];
      // One forward step from class c to the noised class; 1 at t = 0 (the decoder likelihood).
      const step = (c: number) =>
        t === 0 ? 1 : schedule.alphas[t] * (c === noised ? 1 : 0) + (1 - schedule.alphas[t]) / k;
      const prior = (x0: number[], c: number) => prevKeep * x0[c] + (1 - prevKeep) / k;
      const oneHot = Array.from({ length: k }, (_, c) => (c === c0 ? 1 : 0));
      const model = p0.map((_, c) => prior(p0, c) * step(c));
      const truth = oneHot.map((_, c) => prior(oneHot, c) * step(c));
      const zm = model.reduce((a, b) => a + b, 0);
      const zt = truth.reduce((a, b) => a + b, 0);
      let ce = 0;
      for (let c = 0; c < k; c++) if (truth[c] > 0) ce -= (truth[c] / zt) * Math.log(model[c] / zm);
      loss += (schedule.steps / (nSpans * batchSize)) * ce;
    }
  }
  return loss;
}

describe('TabDDPM mixed loss (the fused engine kernel)', () => {
  const rng = createRng(5);
  const dNum = 2;
  const spans = spanGeometry([3, 2, 4]);
  const rows = 12;
  const data = {
    rows,
    numeric: Float32Array.from({ length: rows * dNum }, () => rng.next() * 2 - 1),
    classes: Int32Array.from({ length: rows * 3 }, (_, i) => rng.int(spans.sizes[i % 3])),
  };
  const schedule = cosineSchedule(50);
  const all = Int32Array.from({ length: rows }, (_, i) => i);
  const batch = buildBatch(data, all, dNum, spans, schedule, timeFeatureTable(50), rng);
  const width = dNum + spans.width;
  const output = Float32Array.from({ length: rows * width }, () => rng.next() * 4 - 2);
  const kernel = new DiffusionLoss(dNum, spans, schedule, rows);

  it('gives the loss the reference computes from the definitions', () => {
    expect(batch.steps.some((t) => t === 0) || batch.steps.some((t) => t > 0)).toBe(true);
    expect(kernel.compute(output, batch, rows).loss).toBeCloseTo(
      referenceLoss(output, batch, dNum, spans, schedule, rows),
      4,
    );
  });

  it('covers t = 0 (the decoder likelihood) as the reference does', () => {
    const atZero = { ...batch, steps: new Int32Array(rows) };
    expect(kernel.compute(output, atZero, rows).loss).toBeCloseTo(
      referenceLoss(output, atZero, dNum, spans, schedule, rows),
      4,
    );
  });

  it('has the gradient of the reference loss (central finite differences)', () => {
    const gradient = kernel.compute(output, batch, rows).gradient.slice();
    const h = 1e-3;
    for (let index = 0; index < output.length; index += 2) {
      const plus = Float32Array.from(output);
      const minus = Float32Array.from(output);
      plus[index] += h;
      minus[index] -= h;
      const numeric =
        (referenceLoss(plus, batch, dNum, spans, schedule, rows) -
          referenceLoss(minus, batch, dNum, spans, schedule, rows)) /
        (2 * h);
      expect(gradient[index]).toBeCloseTo(numeric, 3);
    }
  });

  it('stays finite and agrees with the reference when a true class is far below float32 (a logit gap of 105)', () => {
    const extreme = Float32Array.from(output);
    for (let i = 0; i < rows; i++) extreme[i * width + dNum] = 105;
    const atZero = { ...batch, steps: new Int32Array(rows) };
    for (const b of [batch, atZero]) {
      const { loss, gradient } = kernel.compute(extreme, b, rows);
      expect(Number.isFinite(loss)).toBe(true);
      expect(gradient.every(Number.isFinite)).toBe(true);
      expect(loss).toBeCloseTo(referenceLoss(extreme, b, dNum, spans, schedule, rows), 3);
    }
  });

  it('falls when the noise is predicted exactly', () => {
    const perfect = Float32Array.from(output);
    for (let i = 0; i < rows; i++) for (let j = 0; j < dNum; j++) perfect[i * width + j] = batch.noise[i * dNum + j];
    expect(kernel.compute(perfect, batch, rows).loss).toBeLessThan(kernel.compute(output, batch, rows).loss);
  });

  it('splits into shard shares that add up to the whole batch', () => {
    const part = (from: number, to: number): TrainingBatch => ({
      ...batch,
      size: to - from,
      steps: batch.steps.slice(from, to),
      noise: batch.noise.slice(from * dNum, to * dNum),
      trueClass: batch.trueClass.slice(from * 3, to * 3),
      noisedClass: batch.noisedClass.slice(from * 3, to * 3),
    });
    const shares =
      kernel.compute(output.slice(0, 6 * width), part(0, 6), rows).loss +
      kernel.compute(output.slice(6 * width), part(6, 12), rows).loss;
    expect(shares).toBeCloseTo(kernel.compute(output, batch, rows).loss, 4);
  });
});
