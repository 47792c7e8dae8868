import { describe, expect, it } from '@jest/globals';
import { createRng } from '../../../src/core/rng.js';
import { buildBatch, spanGeometry } from '../../../src/models/tabddpm/batch.js';
import { timeFeatureTable } from '../../../src/models/tabddpm/denoiser.js';
import { lossGradient } from '../../../src/models/tabddpm/loss-gradient.js';
import { cosineSchedule } from '../../../src/models/tabddpm/schedule.js';

describe('TabDDPM loss gradient', () => {
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
  const batch = buildBatch(
    data,
    Int32Array.from({ length: rows }, (_, i) => i),
    dNum,
    spans,
    schedule,
    timeFeatureTable(50),
    rng,
  );
  const width = dNum + spans.width;
  const output = Float32Array.from({ length: rows * width }, () => rng.next() * 4 - 2);

  it('matches central finite differences of the loss', () => {
    const { gradient } = lossGradient(output, batch, dNum, spans, schedule.steps, rows);
    const h = 1e-2;
    for (let index = 0; index < output.length; index += 3) {
      const plus = Float32Array.from(output);
      const minus = Float32Array.from(output);
      plus[index] += h;
      minus[index] -= h;
      const numeric =
        (lossGradient(plus, batch, dNum, spans, 50, rows).loss -
          lossGradient(minus, batch, dNum, spans, 50, rows).loss) /
        (2 * h);
      expect(gradient[index]).toBeCloseTo(numeric, 3);
    }
  });

  it("is bounded below by the targets' entropy (Gibbs) and falls when the noise is predicted exactly", () => {
    const perfect = Float32Array.from(output);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < dNum; j++) perfect[i * width + j] = batch.noise[i * dNum + j];
    }
    const loss = lossGradient(perfect, batch, dNum, spans, 50, rows).loss;
    const worse = lossGradient(output, batch, dNum, spans, 50, rows).loss;
    expect(loss).toBeLessThan(worse);
    expect(loss).toBeGreaterThanOrEqual((-50 / (3 * rows)) * batch.targetNegEntropy - 1e-9);
  });

  it('splits into shard shares that add up to the whole batch', () => {
    const shard = (from: number, to: number) =>
      buildBatch(
        data,
        Int32Array.from({ length: to - from }, (_, i) => from + i),
        dNum,
        spans,
        schedule,
        timeFeatureTable(50),
        createRng(from),
      );
    const a = shard(0, 6);
    const b = shard(6, 12);
    const shares =
      lossGradient(output.slice(0, 6 * width), a, dNum, spans, 50, rows).loss +
      lossGradient(output.slice(6 * width), b, dNum, spans, 50, rows).loss;
    const joined = {
      ...a,
      size: 12,
      noise: concat(a.noise, b.noise),
      mixScale: concat(a.mixScale, b.mixScale),
      mixShift: concat(a.mixShift, b.mixShift),
      target: concat(a.target, b.target),
    };
    expect(shares).toBeCloseTo(lossGradient(output, joined, dNum, spans, 50, rows).loss, 5);
  });
});

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
