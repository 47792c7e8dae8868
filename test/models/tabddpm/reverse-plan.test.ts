import { describe, expect, it } from '@jest/globals';
import { createRng } from '../../../src/core/rng.js';
import { spanGeometry } from '../../../src/models/tabddpm/batch.js';
import { MultinomialStep } from '../../../src/models/tabddpm/multinomial-step.js';
import { reversePlan, strideTimesteps, stridedJump } from '../../../src/models/tabddpm/reverse-plan.js';
import { cosineSchedule } from '../../../src/models/tabddpm/schedule.js';

type Matrix = number[][];

/** The one-step transition of multinomial diffusion as a K x K matrix: Q[from][to] = alpha [from = to] + (1 - alpha) / K. */
const oneStep = (alpha: number, k: number): Matrix =>
  Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? alpha : 0) + (1 - alpha) / k));

const multiply = (a: Matrix, b: Matrix): Matrix =>
  a.map((row) => b[0].map((_, j) => row.reduce((sum, v, m) => sum + v * b[m][j], 0)));

const identity = (k: number): Matrix =>
  Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => +(i === j)));

/** Q_{from} Q_{from+1} ... Q_{to}: the transition over timesteps from..to, composed numerically. */
function compose(alphas: Float64Array, from: number, to: number, k: number): Matrix {
  let m = identity(k);
  for (let r = from; r <= to; r++) m = multiply(m, oneStep(alphas[r], k));
  return m;
}

const normalise = (v: number[]): number[] => {
  const total = v.reduce((a, b) => a + b, 0);
  return v.map((x) => x / total);
};

const softmax = (z: number[]): number[] => normalise(z.map((v) => Math.exp(v)));

describe('the strided reverse plan', () => {
  const schedule = cosineSchedule(100);

  it('visits every timestep when asked for at least the schedule, and both ends evenly otherwise', () => {
    expect(strideTimesteps(100, 100)).toEqual(Array.from({ length: 100 }, (_, i) => 99 - i));
    expect(strideTimesteps(100, 2000)).toHaveLength(100);
    expect(strideTimesteps(100, 1)).toEqual([99]);
    expect(strideTimesteps(100, 2)).toEqual([99, 0]);
    expect(strideTimesteps(100, 12)).toEqual([99, 90, 81, 72, 63, 54, 45, 36, 27, 18, 9, 0]);
    for (const k of [3, 10, 25, 50, 99]) {
      const visits = strideTimesteps(100, k);
      expect(visits).toHaveLength(k);
      expect(visits[0]).toBe(99);
      expect(visits[k - 1]).toBe(0);
      for (let i = 1; i < k; i++) expect(visits[i]).toBeLessThan(visits[i - 1]);
    }
  });

  it('keeps the full schedule coefficients of the one-step sampler', () => {
    const plan = reversePlan(schedule, 100, 0);
    expect(plan.map((j) => j.t)).toEqual(strideTimesteps(100, 100));
    for (const j of plan) {
      expect(j.s).toBe(j.t - 1);
      expect(j.x0Coef).toBe(schedule.meanCoefX0[j.t]);
      expect(j.xtCoef).toBe(schedule.meanCoefXt[j.t]);
      expect(j.sd).toBe(j.t > 0 ? Math.sqrt(schedule.reverseVariance[j.t]) : 0);
      expect(j.keep).toBe(schedule.alphas[j.t]);
      expect(j.keepFromData).toBe(j.t === 0 ? 1 : schedule.alphaBarPrev[j.t]);
    }
  });

  it('ends a strided plan at the data, where the numeric part is x0 and the classes are drawn from p0', () => {
    const plan = reversePlan(schedule, 10, 0.5);
    expect(plan).toHaveLength(10);
    expect(plan.map((j) => j.s)).toEqual([...plan.slice(1).map((j) => j.t), -1]);
    const last = plan[plan.length - 1];
    expect(last.x0Coef).toBeCloseTo(1, 12);
    expect(last.xtCoef).toBeCloseTo(0, 12);
    expect(last.sd).toBe(0);
    expect(last.keepFromData).toBe(1);
  });

  it('gives DDPM over the strided steps at eta = 1: the posterior mean of q(x_s | x_t, x0), variance 1 - ab_t / ab_s', () => {
    for (const [t, s] of [
      [99, 90],
      [50, 20],
      [9, 0],
      [40, 39],
    ]) {
      const j = stridedJump(schedule, t, s, 1);
      const abT = schedule.alphaBar[t];
      const abS = schedule.alphaBar[s];
      const keep = abT / abS;
      // The Gaussian posterior of a jump s -> t of variance 1 - keep: the one-step formulas with beta = 1 - keep.
      expect(j.x0Coef).toBeCloseTo((Math.sqrt(abS) * (1 - keep)) / (1 - abT), 10);
      expect(j.xtCoef).toBeCloseTo((Math.sqrt(keep) * (1 - abS)) / (1 - abT), 10);
      expect(j.sd ** 2).toBeCloseTo(1 - keep, 10);
      if (s === t - 1) {
        // One step at a time, the full schedule's own step: posterior mean, beta_t.
        expect(j.x0Coef).toBeCloseTo(schedule.meanCoefX0[t], 10);
        expect(j.xtCoef).toBeCloseTo(schedule.meanCoefXt[t], 10);
        expect(j.sd).toBeCloseTo(Math.sqrt(schedule.reverseVariance[t]), 10);
      }
    }
  });

  it.each([0, 0.2])(
    'maps x_t = sqrt(ab_t) x0 + sqrt(1 - ab_t) eps to sqrt(ab_s) x0 + sqrt(1 - ab_s - sigma^2) eps (DDIM, eta %p)',
    (eta) => {
      const [x0, eps] = [0.7, -1.3];
      for (const [t, s] of [
        [99, 66],
        [66, 33],
        [33, 10],
      ]) {
        const j = stridedJump(schedule, t, s, eta);
        const abT = schedule.alphaBar[t];
        const abS = schedule.alphaBar[s];
        const sigma = eta * Math.sqrt(1 - abT / abS);
        // Below the posterior's sd, so still DDIM's update.
        expect(sigma ** 2).toBeLessThan(((1 - abS) / (1 - abT)) * (1 - abT / abS));
        expect(j.sd).toBeCloseTo(sigma, 12);
        const xt = Math.sqrt(abT) * x0 + Math.sqrt(1 - abT) * eps;
        expect(j.x0Coef * x0 + j.xtCoef * xt).toBeCloseTo(
          Math.sqrt(abS) * x0 + Math.sqrt(1 - abS - sigma ** 2) * eps,
          10,
        );
      }
    },
  );
});

/**
 * The multinomial jump t -> s checked against transition matrices composed numerically, one
 * step at a time: q(x_t | x_s) = Q_{s+1} ... Q_t, q(x_s | x0) = Q_0 ... Q_s, and the posterior by
 * Bayes, with x0's distribution p0 put in q(x_s | x0) as the sampler does.
 */
describe('the multinomial skip-step posterior', () => {
  const schedule = cosineSchedule(40);
  const k = 4;
  const logits = [0.4, -0.8, 1.5, 0.1];
  const p0 = softmax(logits);

  /** q(x_s = c | x_t = j, x0 ~ p0) up to normalisation, from the composed matrices. */
  function composedPosterior(t: number, s: number, j: number): number[] {
    const forward = compose(schedule.alphas, s + 1, t, k);
    const fromData = compose(schedule.alphas, 0, s, k);
    const marginal = Array.from({ length: k }, (_, c) => p0.reduce((sum, p, x0) => sum + p * fromData[x0][c], 0));
    return normalise(marginal.map((m, c) => m * forward[c][j]));
  }

  /** The same from the jump's closed-form coefficients. */
  function closedFormPosterior(t: number, s: number, j: number): number[] {
    const jump = stridedJump(schedule, t, s, 0);
    return normalise(
      p0.map(
        (p, c) =>
          (jump.keepFromData * p + (1 - jump.keepFromData) / k) * ((c === j ? jump.keep : 0) + (1 - jump.keep) / k),
      ),
    );
  }

  const jumps = [
    [39, 30],
    [30, 12],
    [12, 11],
    [5, 0],
    [39, 0],
  ];

  it.each(jumps)('matches the composed matrices for the jump %i -> %i', (t, s) => {
    const forward = compose(schedule.alphas, s + 1, t, k);
    const jump = stridedJump(schedule, t, s, 0);
    // The composed transition keeps the class with prod alpha = ab_t / ab_s, as the closed form says.
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++)
        expect(forward[a][b]).toBeCloseTo((a === b ? jump.keep : 0) + (1 - jump.keep) / k, 12);
    expect(jump.keep).toBeCloseTo(schedule.alphaBar[t] / schedule.alphaBar[s], 12);
    expect(jump.keepFromData).toBeCloseTo(compose(schedule.alphas, 0, s, k)[0][0] * (k / (k - 1)) - 1 / (k - 1), 12);
    for (let j = 0; j < k; j++) {
      const expected = composedPosterior(t, s, j);
      closedFormPosterior(t, s, j).forEach((p, c) => expect(p).toBeCloseTo(expected[c], 12));
    }
  });

  it('is not the one-step formula with the alpha of t when the jump is longer than a step', () => {
    const [t, s, j] = [30, 12, 2];
    const oneStepFormula = normalise(
      p0.map(
        (p, c) =>
          (schedule.alphaBar[s] * p + (1 - schedule.alphaBar[s]) / k) *
          ((c === j ? schedule.alphas[t] : 0) + (1 - schedule.alphas[t]) / k),
      ),
    );
    const expected = composedPosterior(t, s, j);
    expect(Math.max(...oneStepFormula.map((p, c) => Math.abs(p - expected[c])))).toBeGreaterThan(0.05);
  });

  const rows = 20000;
  const spans = spanGeometry([k, 3]);
  const dNum = 1;
  const width = dNum + spans.width;
  const logits3 = [-0.5, 0.9, 0.2];

  /** The kernel's draws for every row at class (current, 1) and the given jump. */
  function draws(t: number, s: number, current: number, seed: number): Int32Array {
    const step = new MultinomialStep(dNum, spans, schedule, rows);
    const output = new Float32Array(rows * width);
    for (let r = 0; r < rows; r++) output.set([0, ...logits, ...logits3], r * width);
    const classes = new Int32Array(rows * 2).map((_, i) => (i % 2 === 0 ? current : 1));
    step.jump(output, classes, rows, stridedJump(schedule, t, s, 0), createRng(seed));
    return classes;
  }

  const within = (count: number, p: number): void =>
    // 5 binomial standard errors at 20,000 draws.
    expect(Math.abs(count / rows - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / rows) + 1e-4);

  it.each([
    [39, 30, 2],
    [30, 12, 0],
    [12, 3, 3],
  ])("draws each class with the composed posterior's probability in the kernel, jump %i -> %i", (t, s, current) => {
    const classes = draws(t, s, current, t * 100 + s);
    const expected = composedPosterior(t, s, current);
    expected.forEach((p, c) => within(classes.filter((v, i) => i % 2 === 0 && v === c).length, p));
  });

  it('draws from p0 on the jump to the data', () => {
    const classes = draws(17, -1, 1, 5);
    p0.forEach((p, c) => within(classes.filter((v, i) => i % 2 === 0 && v === c).length, p));
    softmax(logits3).forEach((p, c) => within(classes.filter((v, i) => i % 2 === 1 && v === c).length, p));
  });
});
