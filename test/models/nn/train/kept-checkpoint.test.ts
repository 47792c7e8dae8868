import { describe, expect, it } from '@jest/globals';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRng } from '../../../../src/core/rng.js';
import type { CheckpointPolicy } from '../../../../src/models/synthesizer.js';
import type { Table } from '../../../../src/core/table.js';

/**
 * trainForFit with checkpoints: the last weights are judged as one more checkpoint, and the
 * result holds the weights of the checkpoint the policy keeps. Driven with the engine test's
 * least-squares task (linear-task.mjs) on worker threads, so it runs the build.
 */
const dist = (path: string) => fileURLToPath(new URL(`../../../../dist/src/${path}`, import.meta.url));
const TASK = pathToFileURL(fileURLToPath(new URL('./linear-task.mjs', import.meta.url))).href;
const ROWS = 64;
const DIMS = 2;
const EPOCHS = 30;

function job() {
  const rng = createRng(5);
  const x = Float64Array.from({ length: ROWS * DIMS }, () => 2 * rng.next() - 1);
  const y = Float64Array.from({ length: ROWS }, (_, i) => 1 + x[i * DIMS] - 2 * x[i * DIMS + 1]);
  const optimizer = { lr: 0.05, lrSchedule: 'constant', weightDecay: 0, decay: 'l2', beta1: 0.9, beta2: 0.99 };
  return {
    task: TASK,
    payload: { x, y, dims: DIMS, stepMillis: 0, failAt: null },
    groups: [
      { name: 'slope', initial: new Float32Array(DIMS), optimizer },
      { name: 'intercept', initial: new Float32Array(1), optimizer },
    ],
    rows: ROWS,
    batchSize: 16,
    epochs: EPOCHS,
    seed: 3,
    reportEvery: 1,
    checkEvery: 5,
  };
}

/** A policy that never stops, calls `best` the best checkpoint, and keeps `keep` in the end (null: the last). */
function scripted(best: number, keep: number | null) {
  const judged: { epoch: number; last: boolean }[] = [];
  const policy: CheckpointPolicy = {
    everyEpochs: 5,
    async decide(epoch, sample, last = false) {
      await sample(1);
      judged.push({ epoch, last });
      return false;
    },
    bestEpoch: () => Math.min(best, judged.at(-1)!.epoch),
    keptEpoch: () => keep ?? judged.at(-1)!.epoch,
  };
  return { policy, judged };
}

async function fit(policy: CheckpointPolicy, signal?: AbortSignal) {
  const { trainForFit } = await import(dist('models/nn/train/fit-report.js'));
  const seen = new Map<number, number[]>();
  const checkpointSample = (epoch: number, weights: Record<string, Float32Array>) => async (): Promise<Table> => {
    seen.set(epoch, [...weights.slope, ...weights.intercept]);
    return { rowCount: 0, columns: [] };
  };
  const { result, training } = await trainForFit(
    job(),
    { seed: 3, threads: 2, backend: 'cpu', checkpoints: policy, ...(signal ? { signal } : {}) },
    { epochs: EPOCHS, rowsPerStep: 16, lossGroup: 'slope', checkpointSample },
  );
  return { weights: [...result.weights.slope, ...result.weights.intercept], training, seen };
}

describe('trainForFit keeps the checkpoint its policy chooses', () => {
  it('judges the last weights too, and ends with the kept checkpoint', async () => {
    const { policy, judged } = scripted(10, 10);
    const { weights, training, seen } = await fit(policy);
    expect(judged).toEqual([
      ...[5, 10, 15, 20, 25].map((epoch) => ({ epoch, last: false })),
      { epoch: EPOCHS, last: true },
    ]);
    expect(weights).toEqual(seen.get(10));
    expect(weights).not.toEqual(seen.get(EPOCHS));
    expect(training).toMatchObject({ epochsDone: EPOCHS, keptEpoch: 10 });
  });

  it('keeps the last weights when the policy does', async () => {
    const { policy } = scripted(10, null);
    const { weights, training, seen } = await fit(policy);
    expect(weights).toEqual(seen.get(EPOCHS));
    expect(training.keptEpoch).toBeUndefined();
  });

  it('keeps the last weights when judging them fails', async () => {
    const { policy } = scripted(10, 10);
    const failing: CheckpointPolicy = {
      ...policy,
      async decide(epoch, sample, last) {
        if (last) throw new Error('evaluation failed');
        return policy.decide(epoch, sample, last);
      },
    };
    const { weights, training } = await fit(failing);
    // A seeded run on as many threads repeats: the same weights as a run that keeps its last ones.
    expect(weights).toEqual((await fit(scripted(10, null).policy)).weights);
    expect(training.keptEpoch).toBeUndefined();
  });

  it('keeps what a run the user stopped learnt, judging nothing more', async () => {
    const { policy, judged } = scripted(5, 5);
    const controller = new AbortController();
    const stopping: CheckpointPolicy = {
      ...policy,
      async decide(epoch, sample, last) {
        if (epoch === 10) controller.abort();
        return policy.decide(epoch, sample, last);
      },
    };
    const { training } = await fit(stopping, controller.signal);
    expect(training.stopped).toBe(true);
    expect(training.keptEpoch).toBeUndefined();
    expect(judged.some((j) => j.last)).toBe(false);
  });
});
