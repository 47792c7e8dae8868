import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { createRng } from '../../../src/core/rng.js';
import type { NetInputs } from '../../../src/models/nn/spec.js';
import { spanGeometry } from '../../../src/models/tabddpm/batch.js';
import { TIME, TIME_DIM, X, initialWeights, timeFeatureTable } from '../../../src/models/tabddpm/denoiser.js';
import { reversePlan } from '../../../src/models/tabddpm/reverse-plan.js';
import { sampleRows, sampleWithNet } from '../../../src/models/tabddpm/sample.js';
import { cosineSchedule, type Schedule } from '../../../src/models/tabddpm/schedule.js';

const sha256 = (...arrays: ArrayBufferView[]): string => {
  const hash = createHash('sha256');
  for (const a of arrays) hash.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return hash.digest('hex');
};

/**
 * The sampler with sample_steps at or above the schedule is the one TabDDPM always had: the
 * hashes are those of the one-step sampler before the strided one was added (same seeded random
 * denoiser, fused engine), for 20 and 7 diffusion steps.
 */
describe('the TabDDPM sampler on the full schedule', () => {
  const spans = spanGeometry([3, 2, 5]);
  const dNum = 2;
  const shape = { inputWidth: dNum + spans.width, layers: 2, width: 16 };
  const weights = initialWeights(shape, createRng(5));
  const BEFORE: Record<number, string> = {
    20: '167bc5d5ede8af82d257988a4c77a038852ca4182625504ce84987ae9574370d',
    7: '57a58070b00814409afd854882f04e642237bea72f5ebaa017ee1fdc87282aeb',
  };

  it.each([
    [20, undefined],
    [20, 20],
    [20, 2000],
    [7, 7],
    [7, 100],
  ])('draws the rows of the one-step sampler bit for bit (%i steps, sample_steps %p)', async (steps, sampleSteps) => {
    const out = await sampleRows({ shape, weights }, dNum, spans, cosineSchedule(steps), 300, {
      rng: createRng(9),
      batchSize: 128,
      sampleSteps,
      eta: 1,
    });
    expect(sha256(out.numeric, out.classes)).toBe(BEFORE[steps]);
  });

  it('draws other rows with fewer steps', async () => {
    const out = await sampleRows({ shape, weights }, dNum, spans, cosineSchedule(20), 300, {
      rng: createRng(9),
      batchSize: 128,
      sampleSteps: 19,
    });
    expect(sha256(out.numeric, out.classes)).not.toBe(BEFORE[20]);
  });
});

/**
 * A trivially learnable table sampled through the exact denoiser of its distribution: one numeric
 * column N(MEAN, SD^2) (in the transformed space) whose noise estimate is E[eps | x_t] in closed
 * form, and one categorical column with shares PI independent of it, whose p0 is PI at every t
 * (with p0 = PI the multinomial posterior of any jump is exactly q(x_s | x_t)). The strided
 * samplers must give back the same distribution as the full one.
 */
describe('the strided TabDDPM sampler on a distribution it knows exactly', () => {
  const MEAN = 1;
  const SD = 0.5;
  const PI = [0.6, 0.3, 0.1];
  const spans = spanGeometry([PI.length]);
  const dNum = 1;
  const width = dNum + spans.width;
  const rows = 20000;

  function exactDenoiser(schedule: Schedule): { forward(inputs: NetInputs): Float32Array } {
    const table = timeFeatureTable(schedule.steps);
    const timestep = (features: Float32Array): number => {
      for (let t = 0; t < schedule.steps; t++) if (features.every((v, k) => v === table[t * TIME_DIM + k])) return t;
      throw new Error('time features of no timestep');
    };
    return {
      forward(inputs: NetInputs): Float32Array {
        const x = inputs[X] as Float32Array;
        const ab = schedule.alphaBar[timestep(inputs[TIME] as Float32Array)];
        const size = x.length / width;
        const out = new Float32Array(size * width);
        const gain = Math.sqrt(1 - ab) / (ab * SD * SD + 1 - ab);
        for (let i = 0; i < size; i++) {
          out[i * width] = gain * (x[i * width] - Math.sqrt(ab) * MEAN);
          PI.forEach((p, c) => (out[i * width + dNum + c] = Math.log(p)));
        }
        return out;
      },
    };
  }

  const moments = (values: Float32Array): { mean: number; sd: number } => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    return { mean, sd: Math.sqrt(variance) };
  };

  /**
   * The mean and sd the plan's jumps give the numeric column in exact arithmetic: x0's estimate is
   * linear in x_t (MEAN + g (x_t - sqrt(ab_t) MEAN), g = sqrt(ab_t) SD^2 / Var x_t), so each jump maps
   * the mean and variance of x_t to those of x_s, starting from N(0, 1).
   */
  function predicted(schedule: Schedule, sampleSteps: number, eta: number): { mean: number; sd: number } {
    let [m, v] = [0, 1];
    for (const j of reversePlan(schedule, sampleSteps, eta)) {
      const ab = schedule.alphaBar[j.t];
      const g = (Math.sqrt(ab) * SD * SD) / (ab * SD * SD + 1 - ab);
      m = j.x0Coef * (MEAN + g * (m - Math.sqrt(ab) * MEAN)) + j.xtCoef * m;
      v = (j.x0Coef * g + j.xtCoef) ** 2 * v + j.sd ** 2;
    }
    return { mean: m, sd: Math.sqrt(v) };
  }

  it.each([
    [50, 1, 0.05],
    [25, 1, 0.05],
    [10, 1, 0.15],
    [25, 0, 0.1],
    [10, 0, 0.2],
    [5, 0.5, 0.3],
  ])(
    'gives back the mean, spread and class shares with %i of 100 steps (eta %p, spread within %p)',
    async (sampleSteps, eta, spreadTolerance) => {
      const schedule = cosineSchedule(100);
      const out = await sampleWithNet(exactDenoiser(schedule), dNum, spans, schedule, rows, {
        rng: createRng(sampleSteps + 31 * eta),
        batchSize: rows,
        sampleSteps,
        eta,
      });
      const { mean, sd } = moments(out.numeric);
      // What the jumps give in exact arithmetic, to sampling error (standard errors 0.0035 and 0.0025 at 20,000 rows).
      const expected = predicted(schedule, sampleSteps, eta);
      expect(Math.abs(mean - expected.mean)).toBeLessThan(0.015);
      expect(Math.abs(sd - expected.sd)).toBeLessThan(0.012);
      // Close to the table: the mean, and the spread less what the discretisation loses (DDIM loses most).
      expect(Math.abs(mean - MEAN)).toBeLessThan(0.02);
      expect(Math.abs(sd - SD)).toBeLessThan(spreadTolerance * SD);
      PI.forEach((p, c) => {
        const share = out.classes.filter((v) => v === c).length / rows;
        expect(Math.abs(share - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / rows) + 1e-3);
      });
    },
    // Sampling is fast (seconds), but the test machine may be shared: no time limit is meant here.
    180000,
  );
});
