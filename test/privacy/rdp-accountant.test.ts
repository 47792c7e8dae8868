import { describe, expect, it } from '@jest/globals';
import { epsilonSpent, noiseForEpsilon, RDP_ORDERS, rdpStep } from '../../src/privacy/rdp-accountant.js';

/**
 * An independent reference: the Renyi moment of the sampled Gaussian by direct numerical
 * integration of its definition, A_a = E_{z~N(0, s^2)}[((1-q) + q exp((2z - 1) / (2 s^2)))^a]
 * (Mironov, Talwar and Zhang 2019, section 3.3), so RDP = log(A_a) / (a - 1).
 */
function rdpByIntegration(q: number, sigma: number, alpha: number): number {
  const lo = -40 * sigma;
  const hi = 40 * sigma + 2 * alpha;
  const n = 400000;
  const h = (hi - lo) / n;
  // Sum in log space around the largest term, so large alphas do not overflow.
  const logTerms: number[] = [];
  for (let i = 0; i <= n; i++) {
    const z = lo + i * h;
    const logDensity = (-z * z) / (2 * sigma * sigma) - Math.log(sigma * Math.sqrt(2 * Math.PI));
    const ratio = Math.log1p(-q + q * Math.exp((2 * z - 1) / (2 * sigma * sigma)));
    const weight = i === 0 || i === n ? 0.5 : 1;
    logTerms.push(logDensity + alpha * ratio + Math.log(weight * h));
  }
  const top = logTerms.reduce((m, t) => Math.max(m, t), -Infinity);
  const logA = top + Math.log(logTerms.reduce((s, t) => s + Math.exp(t - top), 0));
  return logA / (alpha - 1);
}

describe('RDP accountant', () => {
  it('uses the orders SPEC section 6 names: 1.1..10.9 by 0.1, then 12..63', () => {
    expect(RDP_ORDERS).toHaveLength(99 + 52);
    expect(RDP_ORDERS.slice(0, 3)).toEqual([1.1, 1.2, 1.3]);
    expect(RDP_ORDERS[98]).toBe(10.9);
    expect(RDP_ORDERS.slice(99, 101)).toEqual([12, 13]);
    expect(RDP_ORDERS[RDP_ORDERS.length - 1]).toBe(63);
  });

  it.each([
    [0.01, 1.1, 2],
    [0.01, 1.1, 2.5],
    [0.04, 1.5, 3.7],
    [0.04, 1.5, 8],
    [0.2, 0.8, 1.5],
    [0.005, 4, 32],
  ])('matches the integral definition at q=%f, sigma=%f, alpha=%f', (q, sigma, alpha) => {
    const reference = rdpByIntegration(q, sigma, alpha);
    expect(Math.abs(rdpStep(q, sigma, alpha) - reference)).toBeLessThan(1e-6 + 1e-5 * reference);
  });

  it('reduces to the Gaussian mechanism alpha / (2 sigma^2) without subsampling', () => {
    expect(rdpStep(1, 2, 5)).toBeCloseTo(5 / 8, 12);
    expect(rdpByIntegration(0.999999, 2, 5)).toBeCloseTo(5 / 8, 4);
  });

  it("gives Opacus's published value: sigma 1.5, q 0.04, 2,250 steps, delta 1e-5 -> epsilon 7.32911117143", () => {
    expect(epsilonSpent(0.04, 1.5, 2250, 1e-5).epsilon).toBeCloseTo(7.32911117143, 6);
  });

  it('finds the smallest noise multiplier meeting epsilon 8 (Opacus, bisecting more coarsely, reports 1.425307617)', () => {
    const sigma = noiseForEpsilon(8, 0.04, 2250, 1e-5);
    expect(epsilonSpent(0.04, sigma, 2250, 1e-5).epsilon).toBeLessThanOrEqual(8);
    expect(epsilonSpent(0.04, sigma - 1e-3, 2250, 1e-5).epsilon).toBeGreaterThan(8);
    expect(sigma).toBeLessThanOrEqual(1.425307617);
    expect(epsilonSpent(0.04, 1.425307617, 2250, 1e-5).epsilon).toBeLessThanOrEqual(8);
  });

  it('spends more with more steps and less with more noise', () => {
    const base = epsilonSpent(0.01, 1.2, 1000, 1e-5).epsilon;
    expect(epsilonSpent(0.01, 1.2, 2000, 1e-5).epsilon).toBeGreaterThan(base);
    expect(epsilonSpent(0.01, 2.4, 1000, 1e-5).epsilon).toBeLessThan(base);
  });
});
