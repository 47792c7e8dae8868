import { describe, expect, it } from '@jest/globals';
import { normalCdf } from '../../src/core/stats/normal.js';
import { zcdpDelta, zcdpEpsilon, zcdpRho } from '../../src/privacy/zcdp.js';

/**
 * Published values of the conversion of Canonne, Kamath and Steinke (2020): printed by the
 * authors' reference implementation (cdp2adp.py of IBM's discrete-gaussian-differential-privacy,
 * as vendored in private-pgm), run separately; cdp_rho(10, 1e-5) = 1.7827 is also quoted in
 * third-party documentation of the same conversion.
 */
const RHO = [
  [1, 1e-6, 0.024355970359538372],
  [5, 1e-6, 0.4630649901386301],
  [1, 1e-9, 0.014973057673588523],
  [10, 1e-5, 1.7826956163289516],
  [0.5, 1e-5, 0.008505530591181911],
  [2, 1e-8, 0.0639404456730883],
] as const;
const DELTA = [
  [0.025, 1, 1.3361319064032213e-6],
  [0.1, 2, 4.325210869092554e-6],
  [0.5, 4, 0.00019579541695772157],
  [1, 5, 0.0026120345066204856],
] as const;
const EPSILON = [
  [0.025, 1e-6, 1.014074254726128],
  [0.1, 1e-9, 2.7154818867305024],
  [1, 1e-5, 7.0771966958063395],
] as const;

/** The exact (epsilon, delta) curve of the Gaussian mechanism (Balle and Wang 2018, Theorem 8), sensitivity 1. */
const gaussianDelta = (sigma: number, epsilon: number): number =>
  normalCdf(1 / (2 * sigma) - epsilon * sigma) - Math.exp(epsilon) * normalCdf(-1 / (2 * sigma) - epsilon * sigma);

describe('zCDP to (epsilon, delta): Canonne, Kamath and Steinke 2020', () => {
  it.each(RHO)('rho for epsilon %p, delta %p is the published %p', (epsilon, delta, rho) => {
    expect(zcdpRho(epsilon, delta)).toBeCloseTo(rho, 8);
  });

  it.each(DELTA)('delta of rho %p at epsilon %p is the published %p', (rho, epsilon, delta) => {
    expect(zcdpDelta(rho, epsilon) / delta).toBeCloseTo(1, 6);
  });

  it.each(EPSILON)('epsilon of rho %p at delta %p is the published %p', (rho, delta, epsilon) => {
    expect(zcdpEpsilon(rho, delta)).toBeCloseTo(epsilon, 7);
  });

  it.each([0.3, 1, 3, 10])(
    'lies between the exact Gaussian curve (sigma %p) and the classic bound exp(-(epsilon - rho)^2 / (4 rho))',
    (sigma) => {
      const rho = 1 / (2 * sigma * sigma);
      for (const epsilon of [0.5, 1, 2, 5])
        if (epsilon > rho) {
          const delta = zcdpDelta(rho, epsilon);
          expect(delta).toBeGreaterThanOrEqual(gaussianDelta(sigma, epsilon) * (1 - 1e-9));
          expect(delta).toBeLessThanOrEqual(Math.exp(-((epsilon - rho) ** 2) / (4 * rho)) * (1 + 1e-9));
        }
    },
  );

  it('round-trips: the rho found for (epsilon, delta) gives delta back at epsilon', () => {
    for (const [epsilon, delta] of [
      [1, 1e-6],
      [0.3, 1e-7],
      [8, 1e-5],
    ]) {
      const rho = zcdpRho(epsilon, delta);
      expect(zcdpDelta(rho, epsilon)).toBeLessThanOrEqual(delta);
      expect(zcdpDelta(rho * 1.001, epsilon)).toBeGreaterThan(delta);
    }
  });
});
