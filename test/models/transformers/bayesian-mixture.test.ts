import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRng } from '../../../src/core/rng.js';
import {
  fitBayesianMixture,
  responsibilities,
  type MixtureComponent,
} from '../../../src/models/transformers/bayesian-mixture.js';
import { lcg } from '../../helpers/random.js';

/** erfc by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7). */
function erfc(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const r = poly * Math.exp(-x * x);
  return x >= 0 ? r : 2 - r;
}

/** Normal draws from the test's own generator (Box-Muller), independent of the code under test. */
function normals(parts: { mean: number; sd: number; count: number }[], seed: number): Float64Array {
  const next = lcg(seed);
  const out: number[] = [];
  for (const { mean, sd, count } of parts)
    for (let i = 0; i < count; i++)
      out.push(mean + sd * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()));
  return Float64Array.from(out);
}

const byMean = (components: MixtureComponent[]) => [...components].sort((a, b) => a.mean - b.mean);
const totalWeight = (components: MixtureComponent[]) => components.reduce((s, c) => s + c.weight, 0);

interface ReferenceColumn {
  values: number[];
  fits: { means: number[]; sds: number[]; weights: number[]; converged: boolean }[];
}
/** sklearn 1.2.1's BayesianGaussianMixture on these columns, five seeds: bench/reference/bayesian_mixture.py. */
const SKLEARN = JSON.parse(readFileSync('fixtures/mixture/sklearn-reference.json', 'utf8')) as {
  columns: Record<string, ReferenceColumn>;
};

const TRUTH = [
  { mean: -5, sd: 1, weight: 0.5 },
  { mean: 3, sd: 0.5, weight: 0.3 },
  { mean: 12, sd: 2, weight: 0.2 },
];
const threeModes = normals(
  TRUTH.map((t) => ({ ...t, count: t.weight * 2000 })),
  7,
);

describe('Dirichlet-process Gaussian mixture', () => {
  it('recovers the means, standard deviations and weights of three separated normals', () => {
    const fit = byMean(fitBayesianMixture(threeModes, createRng(1)));
    expect(fit).toHaveLength(3);
    // The Wishart prior's scale is the whole column's variance V (sklearn's default), so a mode of
    // n values and variance s^2 has the posterior variance (V + n s^2) / (n + 1), not s^2.
    const n = threeModes.length;
    const mean = threeModes.reduce((s, v) => s + v, 0) / n;
    const columnVariance = threeModes.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
    fit.forEach((c, k) => {
      const count = TRUTH[k].weight * n;
      const expectedSd = Math.sqrt((columnVariance + count * TRUTH[k].sd ** 2) / (count + 1));
      expect(Math.abs(c.mean - TRUTH[k].mean)).toBeLessThan(0.15);
      expect(Math.abs(c.sd / expectedSd - 1)).toBeLessThan(0.08);
      expect(Math.abs(c.weight - TRUTH[k].weight)).toBeLessThan(0.02);
    });
  });

  it("puts each true mode's weight near it on every seed (a mode may be split in two, never lost)", () => {
    for (let seed = 0; seed < 3; seed++) {
      const fit = fitBayesianMixture(threeModes, createRng(seed));
      const nearest = (c: MixtureComponent) =>
        TRUTH.reduce((best, t, k) => (Math.abs(c.mean - t.mean) < Math.abs(c.mean - TRUTH[best].mean) ? k : best), 0);
      TRUTH.forEach((t, k) => {
        const near = fit.filter((c) => nearest(c) === k);
        const weight = totalWeight(near);
        expect(Math.abs(weight - t.weight)).toBeLessThan(0.02);
        expect(Math.abs(near.reduce((s, c) => s + c.weight * c.mean, 0) / weight - t.mean)).toBeLessThan(0.15);
      });
    }
  });

  it('fits a single normal with overlapping modes whose mixture is that normal, as sklearn does', () => {
    // Neither sklearn nor this fit collapses one normal to one mode within 100 iterations: the
    // Dirichlet-process prior drains surplus components slowly (sklearn keeps 9-10, see the fixture).
    const column = SKLEARN.columns.single_normal;
    const fit = fitBayesianMixture(column.values, createRng(5));
    const counts = column.fits.map((f) => f.means.length);
    expect(fit.length).toBeGreaterThanOrEqual(Math.min(...counts) - 2);
    expect(fit.length).toBeLessThanOrEqual(10);
    const normalCdf = (z: number) => 0.5 * erfc(-z / Math.SQRT2);
    let worst = 0;
    for (let x = 28; x <= 52; x += 0.25) {
      const mixture = fit.reduce((s, c) => s + c.weight * normalCdf((x - c.mean) / c.sd), 0) / totalWeight(fit);
      worst = Math.max(worst, Math.abs(mixture - normalCdf((x - 40) / 3)));
    }
    expect(worst).toBeLessThan(0.02);
  });

  it('gives a constant column one narrow mode at its value', () => {
    const fit = fitBayesianMixture(new Float64Array(50).fill(7.5), createRng(1));
    expect(fit).toHaveLength(1);
    expect(fit[0]).toMatchObject({ mean: 7.5, weight: 1 });
    expect(fit[0].sd).toBeGreaterThan(0);
    expect(fit[0].sd).toBeLessThan(0.01);
  });

  it('handles tiny and empty columns, and skips missing values', () => {
    expect(fitBayesianMixture([], createRng(1))).toEqual([]);
    expect(fitBayesianMixture([NaN, NaN], createRng(1))).toEqual([]);
    expect(fitBayesianMixture([NaN, 3, NaN], createRng(1))).toMatchObject([{ mean: 3, weight: 1 }]);
    for (const values of [
      [1, 2],
      [1, 2, 100],
      [5, 5, 6, 6, 6, 6],
    ]) {
      const fit = fitBayesianMixture(values, createRng(2));
      expect(fit.length).toBeGreaterThanOrEqual(1);
      expect(fit.length).toBeLessThanOrEqual(values.length);
      for (const c of fit) {
        expect(Number.isFinite(c.mean) && Number.isFinite(c.sd) && c.sd > 0 && Number.isFinite(c.logScale)).toBe(true);
        expect(c.mean).toBeGreaterThanOrEqual(Math.min(...values) - 1);
        expect(c.mean).toBeLessThanOrEqual(Math.max(...values) + 1);
      }
      expect(totalWeight(fit)).toBeLessThanOrEqual(1 + 1e-12);
    }
  });

  it('is repeatable for a seed, and fits a large column on a bounded sample', () => {
    const big = normals(
      [
        { mean: 0, sd: 1, count: 12_000 },
        { mean: 20, sd: 1, count: 8_000 },
      ],
      11,
    );
    const fit = fitBayesianMixture(big, createRng(4));
    expect(fitBayesianMixture(big, createRng(4))).toEqual(fit);
    for (const [centre, weight] of [
      [0, 0.6],
      [20, 0.4],
    ]) {
      const near = fit.filter((c) => Math.abs(c.mean - centre) < 5);
      expect(Math.abs(totalWeight(near) - weight)).toBeLessThan(0.02);
    }
    // Another sample size draws other values: the option reaches the fit.
    expect(fitBayesianMixture(big, createRng(4), { sampleSize: 500 })).not.toEqual(fit);
  });

  it('gives responsibilities that match the fitted mixture density for a well-determined fit', () => {
    const fit = fitBayesianMixture(threeModes, createRng(1));
    const out = new Float64Array(fit.length);
    for (const x of [-7, -5, -1, 1, 2.5, 3, 4, 6, 10, 15]) {
      responsibilities(fit, x, out);
      expect(out.reduce((s, r) => s + r, 0)).toBeCloseTo(1, 12);
      // With hundreds of points per component the variational terms differ from the plain
      // mixture density w N(x; mu, sd) by O(1/n): the two must agree closely.
      const density = fit.map((c) => (c.weight / c.sd) * Math.exp(-0.5 * ((x - c.mean) / c.sd) ** 2));
      const total = density.reduce((s, d) => s + d, 0);
      density.forEach((d, k) => expect(Math.abs(out[k] - d / total)).toBeLessThan(0.01));
    }
  });

  describe('agrees with sklearn on the fixture columns', () => {
    it('three separated normals: means, sds and weights within 0.01 of every sklearn seed', () => {
      const column = SKLEARN.columns.three_normals;
      const fit = byMean(fitBayesianMixture(column.values, createRng(0)));
      for (const reference of column.fits) {
        expect(fit).toHaveLength(reference.means.length);
        fit.forEach((c, k) => {
          expect(Math.abs(c.mean - reference.means[k])).toBeLessThan(0.01);
          expect(Math.abs(c.sd - reference.sds[k])).toBeLessThan(0.01);
          expect(Math.abs(c.weight - reference.weights[k])).toBeLessThan(0.01);
        });
      }
    });

    it('penguin flipper lengths (two modes where sklearn converges): within 0.2 mm and 0.01 weight', () => {
      const column = SKLEARN.columns.penguins_flipper;
      for (const reference of column.fits.filter((f) => f.converged)) {
        for (const seed of [0, 1]) {
          const fit = byMean(fitBayesianMixture(column.values, createRng(seed)));
          expect(fit).toHaveLength(2);
          fit.forEach((c, k) => {
            expect(Math.abs(c.mean - reference.means[k])).toBeLessThan(0.2);
            expect(Math.abs(c.sd - reference.sds[k])).toBeLessThan(0.2);
            expect(Math.abs(c.weight - reference.weights[k])).toBeLessThan(0.01);
          });
        }
      }
    });

    it.each(['penguins_body_mass', 'seattle_temp_max'])(
      "%s (sklearn itself varies by seed): the mixture mean and sd within 1 % and 5 % of sklearn's",
      (name) => {
        const column = SKLEARN.columns[name];
        const moments = (means: number[], sds: number[], weights: number[]) => {
          const w = weights.reduce((s, v) => s + v, 0);
          const mean = means.reduce((s, m, k) => s + weights[k] * m, 0) / w;
          const second = means.reduce((s, m, k) => s + weights[k] * (sds[k] ** 2 + m * m), 0) / w;
          return { mean, sd: Math.sqrt(second - mean * mean) };
        };
        const references = column.fits.map((f) => moments(f.means, f.sds, f.weights));
        const referenceMean = references.reduce((s, r) => s + r.mean, 0) / references.length;
        const referenceSd = references.reduce((s, r) => s + r.sd, 0) / references.length;
        for (let seed = 0; seed < 3; seed++) {
          const fit = fitBayesianMixture(column.values, createRng(seed));
          const got = moments(
            fit.map((c) => c.mean),
            fit.map((c) => c.sd),
            fit.map((c) => c.weight),
          );
          expect(Math.abs(got.mean / referenceMean - 1)).toBeLessThan(0.01);
          expect(Math.abs(got.sd / referenceSd - 1)).toBeLessThan(0.05);
        }
      },
    );
  });
});
