import { describe, expect, it } from '@jest/globals';
import { createRng } from '../../../src/core/rng.js';
import { spanGeometry } from '../../../src/models/tabddpm/batch.js';
import { MultinomialStep } from '../../../src/models/tabddpm/multinomial-step.js';
import { cosineSchedule } from '../../../src/models/tabddpm/schedule.js';

/**
 * The sampling step's categorical draw against the posterior computed here in double precision
 * from its definition: p(c) proportional to q(x_t = current | x_{t-1} = c) q(x_{t-1} = c | x_0 ~ p0).
 */
describe('the multinomial reverse step (kernel)', () => {
  const schedule = cosineSchedule(20);
  const spans = spanGeometry([3, 4]);
  const dNum = 1;
  const width = dNum + spans.width;
  const logits = [0.3, -1, 1.2, 0, 0.5, -0.7, 2];

  function posterior(t: number, span: number, current: number): number[] {
    const k = spans.sizes[span];
    const z = logits.slice(spans.offsets[span], spans.offsets[span] + k);
    const e = z.map((v) => Math.exp(v));
    const p0 = e.map((v) => v / e.reduce((a, b) => a + b, 0));
    const a = t === 0 ? 1 : schedule.alphaBarPrev[t];
    const step = (c: number) =>
      t === 0 ? 1 : schedule.alphas[t] * (c === current ? 1 : 0) + (1 - schedule.alphas[t]) / k;
    const un = p0.map((p, c) => (a * p + (1 - a) / k) * step(c));
    const total = un.reduce((x, y) => x + y, 0);
    return un.map((u) => u / total);
  }

  for (const t of [0, 7, 19]) {
    it(`draws each class with the posterior's probability at t = ${t}`, () => {
      const rows = 20000;
      const step = new MultinomialStep(dNum, spans, schedule, rows);
      const output = new Float32Array(rows * width);
      for (let r = 0; r < rows; r++) output.set([0, ...logits], r * width);
      const classes = new Int32Array(rows * 2).map((_, i) => (i % 2 === 0 ? 1 : 2));
      step.step(output, classes, rows, t, createRng(t + 1));
      [
        [0, 1],
        [1, 2],
      ].forEach(([span, current]) => {
        const expected = posterior(t, span, current);
        expected.forEach((p, c) => {
          let count = 0;
          for (let r = 0; r < rows; r++) if (classes[r * 2 + span] === c) count++;
          // 5 binomial standard errors at 20,000 draws.
          expect(Math.abs(count / rows - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / rows) + 1e-4);
        });
      });
    });
  }
});
