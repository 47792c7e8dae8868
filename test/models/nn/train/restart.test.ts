import { describe, expect, it } from '@jest/globals';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRng } from '../../../../src/core/rng.js';
import { verdictOfValues } from '../../../../src/metrics/checks.js';
import { GroupState } from '../../../../src/models/nn/train/group-state.js';
import { MAX_RESTARTS, Restarts } from '../../../../src/models/nn/train/restart.js';
import type { TrainingRestart } from '../../../../src/models/synthesizer.js';
import { checkpointPolicy, EarlyStop } from '../../../../src/optimizer/early-stop.js';

/**
 * Real-time adjustment in the training engine: a NaN or exploding loss sends every shard back to
 * the last good checkpoint with a lower learning rate, a checkpoint's answer may lower the rate,
 * and a run with neither trains exactly as before. Driven with the engine test's least-squares
 * task (linear-task.mjs) on worker threads, so it runs the build.
 */
const dist = (path: string) => fileURLToPath(new URL(`../../../../dist/src/${path}`, import.meta.url));
const TASK = pathToFileURL(fileURLToPath(new URL('./linear-task.mjs', import.meta.url))).href;
const ROWS = 96;
const DIMS = 3;
/** 96 rows in batches of 16. */
const STEPS_PER_EPOCH = 6;

function dataset() {
  const rng = createRng(21);
  const x = Float64Array.from({ length: ROWS * DIMS }, () => 2 * rng.next() - 1);
  const y = Float64Array.from({ length: ROWS }, (_, i) => {
    let v = 3 + 0.3 * (rng.next() - 0.5);
    for (let d = 0; d < DIMS; d++) v += [1.5, -2, 0.5][d] * x[i * DIMS + d];
    return v;
  });
  return { x, y };
}

interface JobOptions {
  epochs?: number;
  seed?: number;
  nanAt?: number[];
  nanGradAt?: number[];
  blowAt?: number[];
}

function job(o: JobOptions = {}) {
  const { x, y } = dataset();
  const optimizer = { lr: 0.05, lrSchedule: 'linear', weightDecay: 0, decay: 'l2', beta1: 0.9, beta2: 0.99 };
  return {
    task: TASK,
    payload: {
      x,
      y,
      dims: DIMS,
      stepMillis: 0,
      failAt: null,
      nanAt: o.nanAt ?? [],
      nanGradAt: o.nanGradAt ?? [],
      blowAt: o.blowAt ?? [],
    },
    groups: [
      { name: 'slope', initial: new Float32Array(DIMS), optimizer, averageRate: 0.9 },
      { name: 'intercept', initial: new Float32Array(1), optimizer },
    ],
    schedule: ['slope', 'intercept'],
    rows: ROWS,
    batchSize: 16,
    epochs: o.epochs ?? 20,
    seed: o.seed ?? 7,
    reportEvery: 1,
    checkEvery: 5,
  };
}

const flat = (weights: Record<string, Float32Array>): number[] => [...weights.slope, ...weights.intercept];

/** trainParallel, answering each checkpoint with `answer(epoch)`; the restarts and the checkpoints' weights come back. */
async function train(threads: number, o: JobOptions, answer = (_epoch: number) => ({ stop: false, lrFactor: 1 })) {
  const { trainParallel } = await import(dist('models/nn/train/parallel.js'));
  const restarts: TrainingRestart[] = [];
  const seen = new Map<number, number[]>();
  const result = await trainParallel(job(o), {
    threads,
    backend: 'cpu',
    onCheckpoint: async (epoch: number, weights: Record<string, Float32Array>) => {
      seen.set(epoch, flat(weights));
      return answer(epoch);
    },
    onRestart: (restart: TrainingRestart) => restarts.push(restart),
  });
  return { result, weights: flat(result.weights), restarts, seen };
}

/** trainForFit with early stopping whose checkpoints keep improving, so the plateau rule takes no action. */
async function fitWithEarlyStop(o: JobOptions) {
  const { trainForFit } = await import(dist('models/nn/train/fit-report.js'));
  const early = new EarlyStop();
  let ks = 0.5;
  const policy = checkpointPolicy(early, 5, 1, async () =>
    verdictOfValues({ ks_mean: (ks *= 0.8), corr_delta: 0.05 }, { ks_mean: 0.01, corr_delta: 0.1 }),
  );
  const { result, training } = await trainForFit(
    job(o),
    { seed: 7, threads: 2, backend: 'cpu', checkpoints: policy },
    {
      epochs: o.epochs ?? 20,
      rowsPerStep: 16,
      lossGroup: 'slope',
      checkpointSample: () => async () => ({ rowCount: 0, columns: [] }),
    },
  );
  return { early, result, training };
}

describe('the training engine’s restarts', () => {
  it('trains bit for bit as before when nothing goes wrong, and tells of no action', async () => {
    // These weights were printed by the engine before restarts and learning-rate answers existed (same job, seed 7).
    const before = {
      1: [1.4769864082336426, -1.7474826574325562, 0.30997005105018616, 2.4131076335906982],
      2: [1.4769864082336426, -1.7474828958511353, 0.3099699914455414, 2.413107395172119],
    };
    for (const threads of [1, 2] as const) {
      const { result, weights, restarts } = await train(threads, {});
      expect(weights).toEqual(before[threads]);
      expect(result.stepsDone).toBe(120);
      expect(restarts).toEqual([]);
    }
    const { early } = await fitWithEarlyStop({});
    expect(early.actions).toEqual([]);
  });

  it('goes back to the last good checkpoint with half the learning rate after a NaN loss, and the record says so', async () => {
    // Step 40 is in epoch 7 (6 epochs done): the last good state is the epoch 5 checkpoint's.
    const { early, result, training } = await fitWithEarlyStop({ nanAt: [40] });
    expect(early.actions).toEqual([
      {
        epoch: 6,
        action: 'restart',
        lr_scale: 0.5,
        reason:
          'the slope loss was NaN at step 41: restarted from the epoch 5 checkpoint’s weights with a lower learning rate',
      },
    ]);
    // The attempt is not wasted: training goes on to its last epoch, with the steps it planned, to finite weights.
    expect(training).toMatchObject({ epochsDone: 20, stepsDone: 120, earlyStopped: false });
    expect(flat(result.weights).every(Number.isFinite)).toBe(true);
    expect(result.epochLoss.slope.every(Number.isFinite)).toBe(true);
  });

  it('restarts from the checkpoint’s state exactly, on every shard alike, so a seeded run repeats', async () => {
    const once = await train(2, { nanAt: [40] });
    const again = await train(2, { nanAt: [40] });
    expect(once.restarts).toEqual([
      { epoch: 6, step: 41, fromEpoch: 5, lrScale: 0.5, stopped: false, reason: 'the slope loss was NaN at step 41' },
    ]);
    expect(again.weights).toEqual(once.weights);
    // Until the NaN, the run is the ordinary one; after it, another (a lower rate from the epoch 5 state).
    const ordinary = await train(2, {});
    expect(once.seen.get(5)).toEqual(ordinary.seen.get(5));
    expect(once.seen.get(10)).not.toEqual(ordinary.seen.get(10));
    expect(once.seen.get(10)!.every(Number.isFinite)).toBe(true);
  });

  it('restarts on weights that are not finite at an epoch’s end, where a NaN gradient came with a finite loss', async () => {
    // Step 41 is the last of epoch 7, and the intercept the last group it steps: no later loss of that epoch shows the NaN weights.
    const { restarts, weights } = await train(2, { nanGradAt: [41] });
    expect(restarts).toEqual([
      {
        epoch: 7,
        step: 42,
        fromEpoch: 5,
        lrScale: 0.5,
        stopped: false,
        reason: 'weights were not finite at the end of epoch 7',
      },
    ]);
    expect(weights.every(Number.isFinite)).toBe(true);
  });

  it('restarts after an exploding loss too', async () => {
    // Step 130 is past the first 100 losses of each group, which the median needs.
    const { restarts, weights } = await train(2, { epochs: 30, blowAt: [130] });
    expect(restarts).toHaveLength(1);
    expect(restarts[0]).toMatchObject({ epoch: 21, step: 131, fromEpoch: 20, lrScale: 0.5, stopped: false });
    expect(restarts[0].reason).toMatch(
      /^the slope loss [\d.e+]+ exploded past 100 times its recent median [\d.e+-]+ at step 131$/,
    );
    expect(weights.every(Number.isFinite)).toBe(true);
  });

  it(`stops with the last good weights at the restart after the last of ${MAX_RESTARTS}`, async () => {
    const { early, result, training } = await fitWithEarlyStop({ nanAt: [40, 45, 70] });
    expect(early.actions.map(({ epoch, action, lr_scale }) => ({ epoch, action, lr_scale }))).toEqual([
      { epoch: 6, action: 'restart', lr_scale: 0.5 },
      { epoch: 7, action: 'restart', lr_scale: 0.25 },
      { epoch: 11, action: 'stop', lr_scale: null },
    ]);
    expect(early.actions[2].reason).toBe(
      'the slope loss was NaN at step 71, one restart too many: training stopped with the epoch 10 checkpoint’s weights',
    );
    expect(result).toMatchObject({ stepsDone: 71, earlyStopped: true, stopped: false });
    expect(training.epochsDone).toBe(Math.floor(71 / STEPS_PER_EPOCH));
    expect(flat(result.weights).every(Number.isFinite)).toBe(true);
  });

  it('lowers the learning rate from a checkpoint whose answer says so, on every shard alike', async () => {
    const lower = (epoch: number) => ({ stop: false, lrFactor: epoch === 10 ? 0.5 : 1 });
    const ordinary = await train(2, {});
    const lowered = await train(2, {}, lower);
    expect(lowered.seen.get(10)).toEqual(ordinary.seen.get(10));
    expect(lowered.seen.get(15)).not.toEqual(ordinary.seen.get(15));
    expect((await train(2, {}, lower)).weights).toEqual(lowered.weights);
    expect(lowered.restarts).toEqual([]);
  });
});

describe('Restarts', () => {
  const group = () =>
    new GroupState(
      {
        name: 'g',
        initial: Float32Array.from([0.5, -0.5, 2]),
        optimizer: { lr: 0.1, lrSchedule: 'constant', weightDecay: 0.01, decay: 'decoupled' },
        averageRate: 0.9,
      },
      true,
    );
  const step = (g: GroupState, k: number) => {
    g.summed.set([k, -k, 0.5]);
    g.update(k, 100);
  };

  it('puts back the weights, moments, average and step count kept at a checkpoint, and lowers the rate', () => {
    const g = group();
    const restarts = new Restarts([g], true);
    for (let k = 1; k <= 3; k++) step(g, k);
    restarts.keep(5, [g]);
    const kept = g.save();
    const twin = group();
    twin.restore(kept);
    for (let k = 4; k <= 6; k++) step(g, k);
    expect(restarts.restart([g], 6, 60, 'r')).toEqual({
      epoch: 6,
      step: 60,
      fromEpoch: 5,
      lrScale: 0.5,
      stopped: false,
      reason: 'r',
    });
    expect(g.save()).toEqual(kept);
    // The next step is the kept state's next step at half the learning rate.
    twin.lrScale = 0.5;
    step(g, 4);
    step(twin, 4);
    expect([...g.weights, ...g.modelWeights()]).toEqual([...twin.weights, ...twin.modelWeights()]);
  });

  it('keeps no state with weights that are not finite, and stops after the last restart allowed', () => {
    const g = group();
    const restarts = new Restarts([g], true);
    const initial = g.save();
    g.summed.set([NaN, 0, 0]);
    g.update(0, 100);
    expect(g.finite()).toBe(false);
    restarts.keep(5, [g]);
    const answers = Array.from({ length: MAX_RESTARTS + 1 }, (_, k) => restarts.restart([g], 7, 70 + k, 'r'));
    expect(answers.map((a) => [a.fromEpoch, a.lrScale, a.stopped])).toEqual([
      [0, 0.5, false],
      [0, 0.25, false],
      [0, 0.25, true],
    ]);
    expect(g.save()).toEqual(initial);
  });

  it('finds a NaN loss at once and an exploding one past 100 times the recent median, and reads no loss under DP', () => {
    const restarts = new Restarts([group()], true);
    expect(restarts.check(0, NaN)).toBe('the g loss was NaN');
    expect(restarts.check(0, Infinity)).toBe('the g loss was Infinity');
    // Before 100 losses there is no median to compare with.
    expect(restarts.check(0, 1e6)).toBeNull();
    for (let k = 0; k < 100; k++) expect(restarts.check(0, k % 2 ? 2 : -2)).toBeNull();
    expect(restarts.check(0, -199)).toBeNull();
    expect(restarts.check(0, 201)).toBe('the g loss 201 exploded past 100 times its recent median 2');
    const dp = new Restarts([group()], false);
    expect(dp.check(0, NaN)).toBeNull();
  });
});
