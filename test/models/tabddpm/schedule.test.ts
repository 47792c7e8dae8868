import { describe, expect, it } from '@jest/globals';
import { MAX_BETA, cosineSchedule } from '../../../src/models/tabddpm/schedule.js';

describe('cosine schedule', () => {
  const s = cosineSchedule(100);

  it('follows alpha-bar(u) = cos^2((u + 0.008) / 1.008 * pi / 2) normalised at u = 0', () => {
    const f = (u: number) => Math.cos(((u + 0.008) / 1.008) * (Math.PI / 2)) ** 2;
    for (const t of [0, 10, 50, 98]) expect(s.alphaBar[t]).toBeCloseTo(f((t + 1) / 100) / f(0), 10);
  });

  it('caps every beta and decreases alpha-bar towards 0', () => {
    for (const b of s.betas) expect(b).toBeLessThanOrEqual(MAX_BETA);
    expect(s.betas[99]).toBe(MAX_BETA);
    for (let t = 1; t < 100; t++) expect(s.alphaBar[t]).toBeLessThan(s.alphaBar[t - 1]);
    expect(s.alphaBar[99]).toBeLessThan(1e-4);
  });

  it('has a posterior mean that is unbiased for x0 (c0 + ct sqrt(alpha-bar_t) = sqrt(alpha-bar_{t-1}))', () => {
    for (const t of [0, 1, 30, 99])
      expect(s.meanCoefX0[t] + s.meanCoefXt[t] * Math.sqrt(s.alphaBar[t])).toBeCloseTo(
        Math.sqrt(s.alphaBarPrev[t]),
        10,
      );
  });
});
