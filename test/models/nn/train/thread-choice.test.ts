import { describe, expect, it } from '@jest/globals';
import type { Launcher, ShardSet, ShardEvents } from '../../../../src/models/nn/train/exchange.js';
import type { TrainJob } from '../../../../src/models/nn/train/task.js';
import {
  chooseThreads,
  MIN_STEPS_TO_MEASURE,
  threadCandidates,
} from '../../../../src/models/nn/train/thread-choice.js';

/**
 * --threads auto's trial, through a launcher whose shards step on a made-up clock: a step takes
 * `secondsPerStep(shards)`, so which count is faster is fixed by the test and nothing is timed.
 */
function clockLauncher(secondsPerStep: (shards: number) => number): Launcher & { launched: number[] } {
  const launched: number[] = [];
  return {
    launched,
    launch<Payload>({ job, shards }: ShardSet<Payload>, events: ShardEvents) {
      launched.push(shards);
      let stop = false;
      const total = Math.ceil(job.rows / job.batchSize) * job.epochs;
      const results = (async () => {
        let step = 0;
        while (!stop && step < total) {
          step += job.reportEvery;
          await new Promise((resolve) => setImmediate(resolve));
          events.onProgress({ epoch: 0, step, steps: total, losses: {}, seconds: step * secondsPerStep(shards) });
        }
        const result = {
          weights: {},
          epochLoss: {},
          stepsDone: step,
          epochsDone: 0,
          stopped: stop,
          earlyStopped: false,
          seconds: step * secondsPerStep(shards),
        };
        return Array.from({ length: shards }, () => result);
      })();
      return { results, stop: () => (stop = true), answer: () => {}, close: async () => {} };
    },
  };
}

const job = (overrides: Partial<TrainJob<null>> = {}): TrainJob<null> => ({
  task: 'unused: the launcher steps on its own',
  payload: null,
  groups: [
    {
      name: 'net',
      initial: new Float32Array(4),
      optimizer: { lr: 0.01, lrSchedule: 'constant', weightDecay: 0, decay: 'decoupled' },
    },
  ],
  rows: 1000,
  batchSize: 100,
  epochs: 100,
  seed: 1,
  reportEvery: 5,
  checkEvery: 10,
  ...overrides,
});

describe('chooseThreads (--threads auto)', () => {
  it('compares 1, the powers of two below the most, and the most', () => {
    expect(threadCandidates(1)).toEqual([1]);
    expect(threadCandidates(2)).toEqual([1, 2]);
    expect(threadCandidates(3)).toEqual([1, 2, 3]);
    expect(threadCandidates(4)).toEqual([1, 2, 4]);
  });

  it('trains on the count that stepped fastest in the trial, and records every rate', async () => {
    // Two threads step in 0.6 of one thread's time: 2 wins.
    const launcher = clockLauncher((shards) => (shards === 1 ? 0.01 : 0.006));
    const choice = await chooseThreads(job(), 2, { backend: 'cpu', launcher });
    expect(choice.chosen).toBe(2);
    expect(launcher.launched).toEqual([1, 2]);
    expect(choice.rates.map((r) => r.threads)).toEqual([1, 2]);
    expect(choice.rates[0].stepsPerSecond).toBeCloseTo(100, 6);
    expect(choice.rates[1].stepsPerSecond).toBeCloseTo(1 / 0.006, 6);
    expect(choice.reason).toMatch(/fastest in a timed trial.*1: 100\.0, 2: 166\.7/);
  });

  it('keeps one thread where more step slower, or not clearly faster (a busy or small machine)', async () => {
    const launcher = clockLauncher((shards) => (shards === 1 ? 0.01 : 0.02));
    const choice = await chooseThreads(job(), 2, { backend: 'cpu', launcher });
    expect(choice.chosen).toBe(1);
    expect(choice.rates).toHaveLength(2);
    // Barely faster (3 %) is within a trial's noise: the fewer threads keep the rest of the machine free.
    const close = clockLauncher((shards) => (shards === 1 ? 0.01 : 0.01 / 1.03));
    expect((await chooseThreads(job(), 2, { backend: 'cpu', launcher: close })).chosen).toBe(1);
  });

  it('times a fast job that ends inside the timed stretch over the steps it took', async () => {
    // 200 steps at 0.1 ms: the stretch's 0.3 s is never reached.
    const launcher = clockLauncher((shards) => (shards === 1 ? 1e-4 : 2e-4));
    const choice = await chooseThreads(job({ epochs: 20 }), 2, { backend: 'cpu', launcher });
    expect(choice.chosen).toBe(1);
    expect(choice.rates[0].stepsPerSecond).toBeCloseTo(1e4, 3);
    expect(choice.rates[1].stepsPerSecond).toBeCloseTo(5e3, 3);
  });

  it('times nothing for a short job, under DP-SGD, or with one thread to use', async () => {
    const launcher = clockLauncher(() => 0.01);
    const short = await chooseThreads(job({ epochs: 1 }), 2, { backend: 'cpu', launcher });
    expect(short).toMatchObject({ chosen: 1, rates: [] });
    expect(short.reason).toMatch(/too few/);
    expect(10).toBeLessThan(MIN_STEPS_TO_MEASURE);
    const privacy = { noiseMultiplier: 1, maxGradNorm: 1 } as unknown as TrainJob<null>['privacy'];
    const dp = await chooseThreads(job({ privacy }), 2, { backend: 'cpu', launcher });
    expect(dp).toMatchObject({ chosen: 1, rates: [] });
    expect(dp.reason).toMatch(/DP-SGD/);
    expect(await chooseThreads(job(), 1, { backend: 'cpu', launcher })).toMatchObject({ chosen: 1, rates: [] });
    expect(launcher.launched).toEqual([]);
  });
});
