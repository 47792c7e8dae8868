import { describe, expect, it } from '@jest/globals';
import { digamma, logBeta, logGamma } from '../../../src/core/stats/special.js';

// Reference figures from scipy.special 1.10 (digamma, gammaln, betaln).
const REFERENCE: [number, number, number][] = [
  [0.001, -1000.5755719318103, 6.907178885383853],
  [0.3, -3.502524222200133, 1.0957979948180756],
  [1, -0.5772156649015329, 0],
  [2.5, 0.7031566406452432, 0.2846828704729192],
  [7, 1.872784335098467, 6.579251212010101],
  [150.2, 5.008635150692604, 601.0110639258922],
  [1e4, 9.21029037114285, 82099.71749644238],
];

describe('special functions', () => {
  it.each(REFERENCE)('digamma and log-gamma at %p agree with scipy', (x, psi, lg) => {
    expect(Math.abs(digamma(x) - psi)).toBeLessThan(1e-12 * Math.max(1, Math.abs(psi)));
    expect(Math.abs(logGamma(x) - lg)).toBeLessThan(1e-12 * Math.max(1, Math.abs(lg)));
  });

  it('log-beta agrees with scipy', () => {
    expect(logBeta(1.001, 0.001)).toBeCloseTo(6.907753636448402, 11);
    expect(logBeta(500, 300)).toBeCloseTo(-530.9482011382274, 9);
    expect(logBeta(2, 3.5)).toBeCloseTo(-2.756840365271642, 12);
  });

  it('satisfies the recurrences psi(x + 1) = psi(x) + 1/x and log Gamma(n) = log (n - 1)!', () => {
    for (const x of [0.01, 0.7, 3.3, 42]) expect(digamma(x + 1)).toBeCloseTo(digamma(x) + 1 / x, 10);
    let factorial = 1;
    for (let n = 1; n <= 20; n++) {
      expect(logGamma(n)).toBeCloseTo(Math.log(factorial), 10);
      factorial *= n;
    }
  });
});
