/**
 * Whether samples look like N(0, std^2): the sample mean and standard deviation against their
 * standard errors, and the Kolmogorov-Smirnov distance to the normal CDF with its asymptotic
 * p-value (Kolmogorov's series). Written from the textbook definitions for the DP-SGD noise tests.
 */
import { normalCdf } from '../../src/core/stats/normal.js';

/** P(sqrt(n) D > x) in the limit: 2 sum_k (-1)^(k-1) exp(-2 k^2 x^2). */
export function kolmogorovSurvival(x: number): number {
  if (x < 0.2) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) sum += (k % 2 ? 2 : -2) * Math.exp(-2 * k * k * x * x);
  return Math.min(1, Math.max(0, sum));
}

export interface NormalCheck {
  /** |mean| in standard errors (std / sqrt(n)). */
  readonly meanZ: number;
  /** (sample std - std) in standard errors of a normal sample's std (std / sqrt(2 n)). */
  readonly stdZ: number;
  readonly sampleStd: number;
  /** The KS test's p-value against N(0, std^2). */
  readonly ksP: number;
}

export function checkNormal(samples: ArrayLike<number>, std: number): NormalCheck {
  const n = samples.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += samples[i];
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += samples[i] * samples[i];
  const sampleStd = Math.sqrt(squares / n);
  const sorted = Float64Array.from(samples).sort();
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = normalCdf(sorted[i] / std);
    d = Math.max(d, Math.abs(f - i / n), Math.abs((i + 1) / n - f));
  }
  return {
    meanZ: Math.abs(mean) / (std / Math.sqrt(n)),
    stdZ: (sampleStd - std) / (std / Math.sqrt(2 * n)),
    sampleStd,
    ksP: kolmogorovSurvival(Math.sqrt(n) * d),
  };
}

/** The verdict the noise tests use: mean and spread within 5 standard errors, KS not rejected at 1e-3. */
export const looksNormal = (check: NormalCheck): boolean =>
  check.meanZ < 5 && Math.abs(check.stdZ) < 5 && check.ksP > 1e-3;
