import { afterEach, describe, expect, it, jest } from '@jest/globals';
import {
  keepProbability,
  laplace,
  laplaceGranularity,
  laplaceMechanism,
  randomizedResponse,
} from '../../src/privacy/mechanisms.js';
import { bucketCounts, goodnessOfFit, homogeneity } from '../helpers/statistics.js';

// Every distribution test rejects at p < 1e-6, so a correct mechanism fails about once in a million runs.
const STRICT = 1e-6;

/**
 * P(Y <= y) for the discrete Laplace distribution in grid steps, P(Y = y) proportional to r^|y| with
 * r = exp(-epsilon / D), summed in closed form: r^-y / (1 + r) below zero, 1 - r^(y + 1) / (1 + r) from zero.
 */
const discreteLaplaceCdf = (epsilon: number, steps: number) => (y: number) => {
  const power = (k: number) => Math.exp((-epsilon * k) / steps);
  const r = power(1);
  return y < 0 ? power(-y) / (1 + r) : 1 - power(y + 1) / (1 + r);
};

/** Cell probabilities for integer buckets [edges[i - 1], edges[i]) with open ends, from a CDF over the integers. */
function cellProbabilities(edges: readonly number[], cdf: (y: number) => number): number[] {
  const below = edges.map((e) => cdf(Math.ceil(e) - 1)); // P(Y < e) for integer-valued Y
  return [below[0], ...edges.slice(1).map((_, i) => below[i + 1] - below[i]), 1 - below[below.length - 1]];
}

const grid = (lo: number, hi: number, epsilon: number) => {
  const g = laplaceGranularity(lo, hi, epsilon);
  return { g, steps: Math.round(hi / g) - Math.round(lo / g) };
};

describe('laplaceMechanism', () => {
  const n = 50000;

  it.each([
    [0, 120, 2, 500], // clamped to 120 first
    [-3.7, 5.1, 0.3, 1.234567],
    [1e6, 1e6 + 1, 1, 1e6 + 0.5],
  ])('on [%s, %s] with epsilon %s releases the value on the grid plus discrete Laplace steps', (lo, hi, eps, x) => {
    const { g, steps } = grid(lo, hi, eps);
    const center = Math.round(Math.min(hi, Math.max(lo, x)) / g);
    const noise = Array.from({ length: n }, () => laplaceMechanism(x, lo, hi, eps) / g - center);
    // Buckets a quarter of the scale wide over +-5 scales, in grid steps.
    const scaleSteps = steps / eps;
    const edges = Array.from({ length: 41 }, (_, i) => Math.round((i - 20) * 0.25 * scaleSteps));
    const observed = bucketCounts(noise, edges);
    expect(goodnessOfFit(observed, cellProbabilities(edges, discreteLaplaceCdf(eps, steps)))).toBeGreaterThan(STRICT);
  });

  it('the same check rejects noise whose scale is 20 % off', () => {
    const { g, steps } = grid(0, 10, 1);
    const noise = Array.from({ length: n }, () => laplaceMechanism(0, 0, 10, 1.2) / g);
    const edges = Array.from({ length: 41 }, (_, i) => Math.round((i - 20) * 0.25 * steps));
    const observed = bucketCounts(noise, edges);
    expect(goodnessOfFit(observed, cellProbabilities(edges, discreteLaplaceCdf(1, steps)))).toBeLessThan(STRICT);
  });

  it('has mean absolute deviation (hi - lo) / epsilon, the scale the metadata reports', () => {
    const noise = Array.from({ length: n }, () => laplaceMechanism(30, 0, 100, 2) - 30);
    const mad = noise.reduce((a, x) => a + Math.abs(x), 0) / n;
    // The absolute value of Laplace(b) is exponential with mean b and sd b: 6 standard errors.
    expect(Math.abs(mad - 50)).toBeLessThan((6 * 50) / Math.sqrt(n));
  });

  it('uses a power-of-two grid about 2^-40 of the noise scale', () => {
    for (const [lo, hi, eps] of [
      [0, 1, 1],
      [0, 120, 0.01],
      [-1e9, 1e9, 3],
      [5, 5.000001, 100],
    ]) {
      const g = laplaceGranularity(lo, hi, eps);
      const scale = (hi - lo) / eps;
      expect(Number.isInteger(Math.log2(g))).toBe(true);
      expect(g).toBeGreaterThanOrEqual(scale / 2 ** 40);
      expect(g).toBeLessThan(scale / 2 ** 39);
    }
  });

  it('releases only grid points, whatever the low bits of the input', () => {
    const { g } = grid(0, 1, 0.5);
    for (const x of [0.3, Math.PI / 10, 1 / 3, 0.7 + 1e-15])
      for (let i = 0; i < 200; i++) expect(Number.isInteger(laplaceMechanism(x, 0, 1, 0.5) / g)).toBe(true);
    // A naive x + noise keeps the input's low bits: the same check catches it.
    expect(Number.isInteger((1 / 3 + laplace(2)) / g)).toBe(false);
  });

  it('gives the same distribution for x and x + tiny in one grid cell, and the test tells a real shift apart', () => {
    const { g } = grid(0, 1, 1);
    const x = 0.3;
    const tiny = 2 ** -45;
    expect(Math.round((x + tiny) / g)).toBe(Math.round(x / g)); // same cell
    const runs = 30000;
    const edges = Array.from({ length: 29 }, (_, i) => x + (i - 14) * 0.25);
    const from = (v: number) =>
      bucketCounts(
        Array.from({ length: runs }, () => laplaceMechanism(v, 0, 1, 1)),
        edges,
      );
    const base = from(x);
    expect(homogeneity(base, from(x + tiny))).toBeGreaterThan(STRICT);
    expect(homogeneity(base, from(x + 0.5))).toBeLessThan(STRICT);
  });

  it('refuses bounds that leave no range and a NaN input', () => {
    expect(() => laplaceMechanism(1, 2, 2, 1)).toThrow(RangeError);
    expect(() => laplaceMechanism(1, 0, 2, 0)).toThrow(RangeError);
    expect(() => laplaceMechanism(NaN, 0, 2, 1)).toThrow(RangeError);
    expect(() => laplaceMechanism(1, -Number.MAX_VALUE, Number.MAX_VALUE, 1)).toThrow(RangeError);
  });
});

describe('laplace', () => {
  it('is discrete Laplace noise of the given scale on its grid', () => {
    const n = 40000;
    const scale = 2.5;
    const g = 2 ** (Math.ceil(Math.log2(scale)) - 40);
    const steps = scale / g;
    const noise = Array.from({ length: n }, () => laplace(scale) / g);
    expect(noise.every(Number.isInteger)).toBe(true);
    const edges = Array.from({ length: 41 }, (_, i) => Math.round((i - 20) * 0.25 * steps));
    // Scale "steps" in grid units: the pmf with epsilon 1 and D = steps.
    const p = cellProbabilities(edges, discreteLaplaceCdf(1, steps));
    expect(goodnessOfFit(bucketCounts(noise, edges), p)).toBeGreaterThan(STRICT);
  });
});

describe('randomizedResponse', () => {
  const n = 50000;
  const counts = (draw: () => number, k: number) => {
    const c = new Array<number>(k).fill(0);
    for (let i = 0; i < n; i++) c[draw()]++;
    return c;
  };

  it.each([
    [5, 1, 2],
    [2, 0.3, 0],
    [12, 3, 11],
  ])(
    'over %s categories with epsilon %s keeps the truth with e^eps / (e^eps + k - 1), else another uniformly',
    (k, eps, truth) => {
      const keep = Math.exp(eps) / (Math.exp(eps) + k - 1);
      const expected = Array.from({ length: k }, (_, i) => (i === truth ? keep : (1 - keep) / (k - 1)));
      expect(
        goodnessOfFit(
          counts(() => randomizedResponse(truth, k, eps), k),
          expected,
        ),
      ).toBeGreaterThan(STRICT);
    },
  );

  it('the same check rejects epsilon 20 % off', () => {
    const keep = Math.E / (Math.E + 4);
    const expected = [keep, ...new Array(4).fill((1 - keep) / 4)];
    expect(
      goodnessOfFit(
        counts(() => randomizedResponse(0, 5, 1.2), 5),
        expected,
      ),
    ).toBeLessThan(STRICT);
  });

  it('answers an input outside the domain uniformly', () => {
    expect(
      goodnessOfFit(
        counts(() => randomizedResponse(-1, 6, 2), 6),
        new Array(6).fill(1 / 6),
      ),
    ).toBeGreaterThan(STRICT);
  });

  it('states the keep probability in a form that survives a large epsilon', () => {
    expect(keepProbability(1, 5)).toBeCloseTo(Math.E / (Math.E + 4), 15);
    expect(keepProbability(800, 3)).toBe(1);
    expect(randomizedResponse(1, 3, 800)).toBe(1);
  });
});

describe('noise source', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('never reads Math.random', () => {
    jest.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random used');
    });
    expect(() => {
      laplaceMechanism(3, 0, 10, 1);
      laplace(1);
      randomizedResponse(1, 4, 1);
    }).not.toThrow();
  });
});
