import { describe, expect, it } from '@jest/globals';
import { GesalpError } from '../../src/core/errors.js';
import { calibrateDpSgd, MAX_NOISE_MULTIPLIER } from '../../src/privacy/dp-sgd/calibrate.js';
import { clipFactors } from '../../src/privacy/dp-sgd/clip.js';
import { addGaussianNoise } from '../../src/privacy/dp-sgd/gaussian.js';
import { freshKey, KeyStream, STREAM } from '../../src/privacy/dp-sgd/keystream.js';
import { poissonBatch } from '../../src/privacy/dp-sgd/poisson.js';
import { epsilonSpent } from '../../src/privacy/rdp-accountant.js';
import { checkNormal, looksNormal } from '../helpers/normal-check.js';
import { chiSquareSurvival } from '../helpers/statistics.js';

const key = (byte: number) => new Uint8Array(32).fill(byte);

describe('the DP-SGD keystream', () => {
  it('repeats for the same key and name, differs across keys, purposes, steps and parts', () => {
    const a = new KeyStream(key(1));
    const first = a.uniforms53(STREAM.noise, 3, 0, 64);
    expect(new KeyStream(key(1)).uniforms53(STREAM.noise, 3, 0, 64)).toEqual(first);
    for (const other of [
      new KeyStream(key(2)).uniforms53(STREAM.noise, 3, 0, 64),
      a.uniforms53(STREAM.sampling, 3, 0, 64),
      a.uniforms53(STREAM.noise, 4, 0, 64),
      a.uniforms53(STREAM.noise, 3, 1, 64),
    ])
      expect(other.filter((v, i) => v === first[i]).length).toBe(0);
    // A longer draw starts with the shorter one: a stream is a fixed sequence, however much is read.
    expect(a.uniforms53(STREAM.noise, 3, 0, 200).subarray(0, 64)).toEqual(first);
    expect(new KeyStream(freshKey()).uniforms53(1, 0, 0, 4)).not.toEqual(
      new KeyStream(freshKey()).uniforms53(1, 0, 0, 4),
    );
  });

  it('gives integers below 2^53 whose top and bottom bits are fair coins', () => {
    const u = new KeyStream(key(7)).uniforms53(STREAM.noise, 0, 0, 40000);
    let top = 0;
    let bottom = 0;
    expect(u.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 53)).toBe(true);
    for (const v of u) {
      if (v >= 2 ** 52) top++;
      if (v % 2 === 1) bottom++;
    }
    // Binomial(40000, 1/2): standard deviation 100.
    expect(Math.abs(top - 20000)).toBeLessThan(500);
    expect(Math.abs(bottom - 20000)).toBeLessThan(500);
  });

  it('refuses a key of the wrong length', () => {
    expect(() => new KeyStream(new Uint8Array(16))).toThrow('32 bytes');
  });
});

describe('Poisson sampling', () => {
  const n = 1000;
  const q = 0.05;
  const steps = 4000;

  it('draws batch sizes with the mean and variance of Binomial(n, q) and every row at rate q', () => {
    const stream = new KeyStream(key(3));
    const sizes = new Float64Array(steps);
    const perRow = new Float64Array(n);
    let ascending = true;
    for (let t = 0; t < steps; t++) {
      const batch = poissonBatch(stream, t, n, q);
      sizes[t] = batch.length;
      for (let i = 1; i < batch.length; i++) ascending &&= batch[i] > batch[i - 1];
      for (const r of batch) perRow[r]++;
    }
    expect(ascending).toBe(true);
    const mean = sizes.reduce((a, x) => a + x, 0) / steps;
    const variance = sizes.reduce((a, x) => a + (x - mean) ** 2, 0) / (steps - 1);
    const binomialVariance = n * q * (1 - q);
    // Standard errors: of the mean sqrt(var / T); of the sample variance sqrt((mu4 - var^2 (T-3)/(T-1)) / T),
    // with the binomial's fourth central moment mu4 = var (1 + 3 (n - 2) p q).
    const mu4 = binomialVariance * (1 + 3 * (n - 2) * q * (1 - q));
    expect(Math.abs(mean - n * q)).toBeLessThan(5 * Math.sqrt(binomialVariance / steps));
    expect(Math.abs(variance - binomialVariance)).toBeLessThan(5 * Math.sqrt((mu4 - binomialVariance ** 2) / steps));
    // Each row's count is Binomial(T, q), independently: their standardised squares sum to chi-square(n).
    const expected = steps * q;
    const statistic = perRow.reduce((a, c) => a + (c - expected) ** 2 / (expected * (1 - q)), 0);
    expect(chiSquareSurvival(statistic, n)).toBeGreaterThan(1e-4);
  });

  it('takes every row at rate 1, and the same rows for the same key and step', () => {
    const stream = new KeyStream(key(4));
    expect(poissonBatch(stream, 0, 50, 1)).toEqual(Int32Array.from({ length: 50 }, (_, i) => i));
    expect(poissonBatch(new KeyStream(key(4)), 9, n, q)).toEqual(poissonBatch(stream, 9, n, q));
    expect(() => poissonBatch(stream, 0, n, 0)).toThrow('sample rate');
  });
});

describe('the Gaussian noise', () => {
  const draw = (std: number, count: number, byte = 5) => {
    const out = new Float32Array(count);
    addGaussianNoise(new KeyStream(key(byte)), 0, 0, out, std);
    return out;
  };

  it('added to a zero vector has standard deviation std and a normal shape (KS)', () => {
    const check = checkNormal(draw(2.5, 200001), 2.5);
    expect(looksNormal(check)).toBe(true);
    // An odd length uses the last pair's first normal only.
    expect(draw(1, 3).every((v) => v !== 0)).toBe(true);
  });

  it('is told apart by the same check when its spread is 2 % off or its shape is not normal', () => {
    expect(looksNormal(checkNormal(draw(2.55, 200000), 2.5))).toBe(false);
    expect(looksNormal(checkNormal(draw(2.45, 200000), 2.5))).toBe(false);
    // Laplace noise of the same variance (scale std / sqrt 2), from an independent generator.
    const u = new KeyStream(key(6)).uniforms53(STREAM.noise, 0, 0, 200000);
    const laplace = Array.from(u, (v) => {
      const p = (v + 0.5) / 2 ** 53 - 0.5;
      return (-2.5 / Math.SQRT2) * Math.sign(p) * Math.log(1 - 2 * Math.abs(p));
    });
    const check = checkNormal(laplace, 2.5);
    expect(Math.abs(check.stdZ)).toBeLessThan(5);
    expect(check.ksP).toBeLessThan(1e-3);
  });

  it('adds to what is there, the same for the same key, and nothing at std 0', () => {
    const base = Float32Array.from({ length: 1000 }, (_, i) => i);
    const noisy = base.slice();
    addGaussianNoise(new KeyStream(key(5)), 0, 0, noisy, 1);
    const noise = draw(1, 1000);
    noisy.forEach((v, i) => expect(v - base[i]).toBeCloseTo(noise[i], 3));
    const zero = new Float32Array(10);
    addGaussianNoise(new KeyStream(key(5)), 0, 0, zero, 0);
    expect(zero.every((v) => v === 0)).toBe(true);
  });
});

describe('clipping factors', () => {
  it('keep gradients within C whole and scale longer ones to norm C', () => {
    // Squared norms of gradients with norms 0, 0.5, 1.5 (= C), 3 and 30.
    const factors = clipFactors([0, 0.25, 2.25, 9, 900], 1.5);
    expect(Array.from(factors)).toEqual([1, 1, 1, Math.fround(0.5), Math.fround(0.05)]);
    expect(() => clipFactors([1], 0)).toThrow('positive');
    expect(() => clipFactors([NaN], 1)).toThrow('not a number');
  });
});

describe('DP-SGD calibration', () => {
  it('plans q = batch / rows, epochs * ceil(rows / batch) steps and the smallest sigma meeting epsilon', () => {
    const cases = [
      { epsilon: 1, delta: 1e-5, rows: 32561, batchSize: 4096, epochs: 30 },
      { epsilon: 5, delta: 1e-6, rows: 1000, batchSize: 64, epochs: 100 },
      { epsilon: 0.5, delta: 1e-4, rows: 500, batchSize: 500, epochs: 3 },
      { epsilon: 8, delta: 1e-5, rows: 60000, batchSize: 256, epochs: 10 },
    ];
    for (const target of cases) {
      const plan = calibrateDpSgd(target);
      expect(plan.sampleRate).toBe(target.batchSize / target.rows);
      expect(plan.stepsPerEpoch).toBe(Math.ceil(target.rows / target.batchSize));
      expect(plan.steps).toBe(target.epochs * plan.stepsPerEpoch);
      const spent = epsilonSpent(plan.sampleRate, plan.noiseMultiplier, plan.steps, target.delta).epsilon;
      expect(spent).toBeLessThanOrEqual(target.epsilon);
      expect(plan.epsilon).toBe(spent);
      const less = epsilonSpent(plan.sampleRate, plan.noiseMultiplier * (1 - 1e-3), plan.steps, target.delta).epsilon;
      expect(less).toBeGreaterThan(target.epsilon);
    }
  });

  it('caps the batch at the rows (q = 1)', () => {
    const plan = calibrateDpSgd({ epsilon: 10, delta: 1e-3, rows: 40, batchSize: 64, epochs: 2 });
    expect(plan).toMatchObject({ sampleRate: 1, stepsPerEpoch: 1, steps: 2 });
  });

  it('refuses a target that needs a noise multiplier beyond the cap, with the figures', () => {
    const target = { epsilon: 0.05, delta: 1e-5, rows: 1000, batchSize: 500, epochs: 200 };
    expect(epsilonSpent(0.5, MAX_NOISE_MULTIPLIER, 400, 1e-5).epsilon).toBeGreaterThan(0.05);
    let error: unknown;
    try {
      calibrateDpSgd(target);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GesalpError);
    expect(error).toMatchObject({ kind: 'usage', exitCode: 2 });
    expect((error as GesalpError).message).toMatch(
      /epsilon 0\.05 .*400 steps at sample rate 0\.500 .*500 of 1000 rows/,
    );
    expect((error as GesalpError).hint).toMatch(/Raise epsilon/);
  });

  it('refuses an epsilon or delta outside their ranges', () => {
    const base = { epsilon: 1, delta: 1e-5, rows: 100, batchSize: 10, epochs: 1 };
    for (const bad of [{ epsilon: 0 }, { epsilon: -1 }, { epsilon: Infinity }, { delta: 0 }, { delta: 1 }])
      expect(() => calibrateDpSgd({ ...base, ...bad })).toThrow(GesalpError);
  });
});
