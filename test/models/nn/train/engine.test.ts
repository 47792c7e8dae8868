import { describe, expect, it } from '@jest/globals';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRng } from '../../../../src/core/rng.js';

/**
 * The training engine driven by a task that is not TabDDPM: least squares with the slope and the
 * intercept in two parameter groups stepped alternately (linear-task.mjs), on worker threads.
 */
// Worker threads run compiled JavaScript, so this test drives the build that `npm test` makes first.
const dist = (path: string) => fileURLToPath(new URL(`../../../../dist/src/${path}`, import.meta.url));
const TASK = pathToFileURL(fileURLToPath(new URL('./linear-task.mjs', import.meta.url))).href;

const ROWS = 96;
const DIMS = 3;
const TRUE_SLOPE = [1.5, -2, 0.5];
const TRUE_INTERCEPT = 3;

function dataset() {
  const rng = createRng(21);
  const x = Float64Array.from({ length: ROWS * DIMS }, () => 2 * rng.next() - 1);
  const y = Float64Array.from({ length: ROWS }, (_, i) => {
    let v = TRUE_INTERCEPT + 0.3 * (rng.next() - 0.5);
    for (let d = 0; d < DIMS; d++) v += TRUE_SLOPE[d] * x[i * DIMS + d];
    return v;
  });
  return { x, y };
}

/** The least-squares answer from the normal equations (Gaussian elimination), independent of the engine. */
function leastSquares(x: Float64Array, y: Float64Array): number[] {
  const n = DIMS + 1;
  const a = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0));
  for (let i = 0; i < ROWS; i++) {
    const row = [...x.subarray(i * DIMS, (i + 1) * DIMS), 1];
    for (let p = 0; p < n; p++) {
      for (let q = 0; q < n; q++) a[p][q] += row[p] * row[q];
      a[p][n] += row[p] * y[i];
    }
  }
  for (let p = 0; p < n; p++) {
    for (let r = p + 1; r < n; r++) {
      const f = a[r][p] / a[p][p];
      for (let c = p; c <= n; c++) a[r][c] -= f * a[p][c];
    }
  }
  const solution = new Array<number>(n).fill(0);
  for (let p = n - 1; p >= 0; p--) {
    let s = a[p][n];
    for (let c = p + 1; c < n; c++) s -= a[p][c] * solution[c];
    solution[p] = s / a[p][p];
  }
  return solution;
}

interface RunOptions {
  threads: number;
  seed?: number;
  epochs?: number;
  stepMillis?: number;
  failAt?: { shard: number; step: number } | null;
  checkEvery?: number;
  schedule?: string[];
  signal?: AbortSignal;
  onProgress?: (p: any) => void;
  onCheckpoint?: (epoch: number, weights: Record<string, Float32Array>) => Promise<{ stop: boolean; lrFactor: number }>;
  launcher?: any;
}

async function train(options: RunOptions): Promise<any> {
  const { trainParallel } = await import(dist('models/nn/train/parallel.js'));
  const { x, y } = dataset();
  const optimizer = { lr: 0.05, lrSchedule: 'linear', weightDecay: 0, decay: 'l2', beta1: 0.9, beta2: 0.99 };
  return trainParallel(
    {
      task: TASK,
      payload: { x, y, dims: DIMS, stepMillis: options.stepMillis ?? 0, failAt: options.failAt ?? null },
      groups: [
        { name: 'slope', initial: new Float32Array(DIMS), optimizer },
        { name: 'intercept', initial: new Float32Array(1), optimizer },
      ],
      schedule: options.schedule ?? ['slope', 'intercept'],
      rows: ROWS,
      batchSize: 16,
      epochs: options.epochs ?? 60,
      seed: options.seed ?? 1,
      reportEvery: 1,
      checkEvery: options.checkEvery ?? 0,
    },
    {
      threads: options.threads,
      backend: 'cpu',
      signal: options.signal,
      onProgress: options.onProgress,
      onCheckpoint: options.onCheckpoint,
      launcher: options.launcher,
    },
  );
}

/**
 * A second transport for the engine's seam: the one shard runs in the main thread, and its exchange
 * is a plain buffer (there is no other shard to meet). No model or task changes for it.
 */
async function inProcessLauncher() {
  const { runShard } = await import(dist('models/nn/train/shard.js'));
  const { netMaker } = await import(dist('models/nn/create-net.js'));
  return {
    launches: 0,
    launch({ job, shards, backend }: any, events: any) {
      this.launches++;
      if (shards !== 1) throw new Error('the in-process launcher runs one shard');
      let stop = false;
      let loss = 0;
      const grads = new Float32Array(Math.max(...job.groups.map((g: any) => g.initial.length)));
      const exchange = {
        gradSlot: (_index: number, size: number) => grads.subarray(0, size),
        setLoss: (_index: number, value: number) => (loss = value),
        exchange: (_index: number, out: Float32Array) => {
          out.set(grads.subarray(0, out.length));
          return { loss, stop };
        },
        awaitVerdict: () => {
          throw new Error('the in-process launcher takes no checkpoints');
        },
      };
      const results = import(job.task).then(async ({ createTask }) => [
        runShard({ ...job, shard: 0, shards: 1, backend }, createTask, await netMaker(backend), exchange, {
          onProgress: events.onProgress,
          onCheckpoint: () => {},
        }),
      ]);
      return { results, stop: () => (stop = true), answer: () => {}, close: async () => {} };
    },
  };
}

const flat = (result: any): number[] => [...result.weights.slope, ...result.weights.intercept];

describe('the training engine with a two-group task', () => {
  it('converges to the least-squares answer on one and on two threads, and repeats a seeded run exactly', async () => {
    const { x, y } = dataset();
    const answer = leastSquares(x, y);
    const one = await train({ threads: 1 });
    const two = await train({ threads: 2 });
    const twoAgain = await train({ threads: 2 });
    for (const result of [one, two]) {
      expect(result).toMatchObject({ epochsDone: 60, stepsDone: 360, stopped: false, earlyStopped: false });
      flat(result).forEach((w, i) => expect(w).toBeCloseTo(answer[i], 2));
      // Each group's loss is tracked per epoch and falls to the noise floor (variance of 0.3 * U(-0.5, 0.5) = 0.0075).
      for (const losses of [result.epochLoss.slope, result.epochLoss.intercept]) {
        expect(losses).toHaveLength(60);
        expect(losses[59]).toBeLessThan(0.01);
        expect(losses[0]).toBeGreaterThan(1);
      }
    }
    // Two threads sum the same gradients in another order: close, not equal; the same thread count repeats bit for bit.
    flat(two).forEach((w, i) => expect(w).toBeCloseTo(flat(one)[i], 3));
    expect(flat(twoAgain)).toEqual(flat(two));
    expect(twoAgain.epochLoss).toEqual(two.epochLoss);
    const otherSeed = await train({ threads: 2, seed: 2 });
    expect(otherSeed.epochLoss).not.toEqual(two.epochLoss);
  });

  it('runs through another launcher (shards in the main thread) to the same weights as one worker thread', async () => {
    const launcher = await inProcessLauncher();
    const onWorker = await train({ threads: 1, epochs: 20 });
    const inProcess = await train({ threads: 1, epochs: 20, launcher });
    expect(inProcess.stepsDone).toBe(onWorker.stepsDone);
    expect(flat(inProcess)).toEqual(flat(onWorker));
    const controller = new AbortController();
    controller.abort();
    const stopped = await train({ threads: 1, epochs: 20, launcher, signal: controller.signal });
    expect(stopped).toMatchObject({ stopped: true, stepsDone: 1 });
    expect(launcher.launches).toBe(2);
  });

  it('stops every shard at the same step when the signal aborts', async () => {
    const controller = new AbortController();
    const result = await train({
      threads: 2,
      epochs: 100,
      stepMillis: 2,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.step >= 10) controller.abort();
      },
    });
    // The engine rejects shards that disagree on the steps done, so resolving means they stopped together.
    expect(result.stopped).toBe(true);
    expect(result.earlyStopped).toBe(false);
    expect(result.stepsDone).toBeGreaterThanOrEqual(10);
    expect(result.stepsDone).toBeLessThan(600);
    expect(result.epochsDone).toBe(Math.floor(result.stepsDone / 6));
  });

  it('pauses at each checkpoint with every group weights and stops where the verdict says', async () => {
    const seen: number[] = [];
    const result = await train({
      threads: 2,
      epochs: 30,
      checkEvery: 5,
      onCheckpoint: async (epoch, weights) => {
        seen.push(epoch);
        expect(Object.keys(weights).sort()).toEqual(['intercept', 'slope']);
        expect(weights.slope).toHaveLength(DIMS);
        return { stop: epoch >= 10, lrFactor: 1 };
      },
    });
    expect(seen).toEqual([5, 10]);
    expect(result).toMatchObject({ epochsDone: 10, stepsDone: 60, earlyStopped: true, stopped: false });
    expect(result.epochLoss.slope).toHaveLength(10);
  });

  it('rejects, without hanging, when one shard throws', async () => {
    const started = Date.now();
    await expect(train({ threads: 2, failAt: { shard: 1, step: 7 } })).rejects.toThrow(
      'linear task failed on purpose at step 7',
    );
    await expect(train({ threads: 2, epochs: 3, failAt: { shard: 0, step: 4 } })).rejects.toThrow(
      'linear task failed on purpose at step 4',
    );
    // The other shard leaves the barrier at once (it is woken, not left to time out).
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses a schedule that names an unknown group or never steps one', async () => {
    await expect(train({ threads: 1, schedule: ['slope', 'bias'] })).rejects.toThrow('unknown parameter group: bias');
    await expect(train({ threads: 1, schedule: ['slope', 'slope'] })).rejects.toThrow('never steps: intercept');
  });
});
