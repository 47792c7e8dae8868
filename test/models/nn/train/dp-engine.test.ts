import { describe, expect, it } from '@jest/globals';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createRng } from '../../../../src/core/rng.js';
import { epsilonSpent } from '../../../../src/privacy/rdp-accountant.js';
import { checkNormal, looksNormal } from '../../../helpers/normal-check.js';

/**
 * The engine's DP-SGD mode driven by dp-probe-task.mjs, whose per-example gradients are known:
 * what reaches the optimizer is read back from the weights. The optimizer is Adam with beta1 =
 * beta2 = 0, epsilon 1 and lr 1, whose step is exactly w -= g / (|g| + 1), so g = -dw / (1 - |dw|).
 */
// Worker threads run compiled JavaScript, so this test drives the build that `npm test` makes first.
const dist = (path: string) => fileURLToPath(new URL(`../../../../dist/src/${path}`, import.meta.url));
const TASK = pathToFileURL(fileURLToPath(new URL('./dp-probe-task.mjs', import.meta.url))).href;

const READ_BACK = { lr: 1, lrSchedule: 'constant', weightDecay: 0, decay: 'decoupled', beta1: 0, beta2: 0, epsilon: 1 };
const ADAM = { lr: 0.05, lrSchedule: 'constant', weightDecay: 0, decay: 'decoupled' };

interface ProbeOptions {
  rows: number;
  dims: number;
  batchSize: number;
  epochs: number;
  noiseMultiplier: number;
  maxGradNorm: number;
  vectors?: Float64Array;
  coupling?: number;
  optimizer?: object;
  privacy?: object;
  schedule?: string[];
  /** The run's key (default: key 1). */
  key?: Uint8Array;
}

function probeJob(o: ProbeOptions) {
  const steps = o.epochs * Math.ceil(o.rows / Math.min(o.batchSize, o.rows));
  const shared = (bytes: number) => new SharedArrayBuffer(bytes);
  const record = {
    sizes: new Int32Array(shared(4 * steps)),
    seen: new Int32Array(shared(4 * steps)),
    trail: new Float32Array(shared(4 * steps * o.dims)),
  };
  const job = {
    task: TASK,
    payload: {
      dims: o.dims,
      vectors: o.vectors ?? new Float64Array(o.rows * o.dims),
      coupling: o.coupling ?? 0,
      ...record,
    },
    groups: [{ name: 'w', initial: new Float32Array(o.dims), optimizer: o.optimizer ?? READ_BACK }],
    schedule: o.schedule,
    rows: o.rows,
    batchSize: o.batchSize,
    epochs: o.epochs,
    seed: 1,
    reportEvery: 1,
    checkEvery: 0,
    privacy: {
      noiseMultiplier: o.noiseMultiplier,
      maxGradNorm: o.maxGradNorm,
      sampleRate: Math.min(o.batchSize, o.rows) / o.rows,
      rows: o.rows,
      steps,
      delta: 1e-5,
      groups: ['w'],
      key: o.key ?? key(1),
      rowIds: Uint32Array.from({ length: 3 * o.rows }, (_, i) => Math.imul(i + 1, 2654435761) >>> 0),
      ...o.privacy,
    },
  };
  return { job, record, steps };
}

/** The shards on worker threads with a key the test chooses (a fit's plan draws a fresh one). */
async function runWithKey(job: any, shards: number, privacyKey: Uint8Array): Promise<any> {
  const { createSharedBuffers } = await import(dist('models/nn/train/shared-memory.js'));
  const buffers = createSharedBuffers(shards, job.groups[0].initial.length);
  const keyed = { ...job, privacy: { ...job.privacy, key: privacyKey } };
  const workers = Array.from(
    { length: shards },
    (_, shard) =>
      new Worker(dist('models/nn/train/worker.js'), {
        workerData: { ...keyed, shard, shards, buffers, backend: 'cpu' },
      }),
  );
  try {
    const results = await Promise.all(
      workers.map(
        (worker) =>
          new Promise<any>((resolve, reject) => {
            worker.on('message', (m) => m.type === 'done' && resolve(m.result));
            worker.on('error', reject);
          }),
      ),
    );
    return results[0];
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

async function trainParallel(job: any, threads: number, signal?: AbortSignal, onProgress?: (p: any) => void) {
  const { trainParallel: train } = await import(dist('models/nn/train/parallel.js'));
  return train(job, { threads, backend: 'cpu', signal, onProgress });
}

/** The gradient each step's optimizer got, read back from shard 0's weights after each step. */
function gradients(trail: Float32Array, dims: number, steps: number): Float64Array {
  const g = new Float64Array(steps * dims);
  for (let t = 0; t < steps; t++)
    for (let d = 0; d < dims; d++) {
      const dw = trail[t * dims + d] - (t ? trail[(t - 1) * dims + d] : 0);
      g[t * dims + d] = -dw / (1 - Math.abs(dw));
    }
  return g;
}

const key = (byte: number) => new Uint8Array(32).fill(byte);

describe('the training engine under DP-SGD', () => {
  it('adds noise of standard deviation sigma C / (q n) to a zero clipped sum, once per step on two shards', async () => {
    // q = 10 / 100; sigma C = 3, so each coordinate's noise has standard deviation 3 / 10.
    const { job, record, steps } = probeJob({
      rows: 100,
      dims: 500,
      batchSize: 10,
      epochs: 20,
      noiseMultiplier: 1.5,
      maxGradNorm: 2,
    });
    const result = await runWithKey(job, 2, key(9));
    expect(result.stepsDone).toBe(steps);
    const check = checkNormal(gradients(record.trail, 500, steps), 0.3);
    expect(looksNormal(check)).toBe(true);
  });

  it('steps with the exactly clipped per-example sum over the expected batch (sigma 0), on one and two shards', async () => {
    // Norms 0.5, 1, 2, 3, 0 and 10 against C = 1.5.
    const rows = [
      [0.3, 0.4, 0],
      [0, 0, 1],
      [2, 0, 0],
      [1, 2, -2],
      [0, 0, 0],
      [0, -6, 8],
    ];
    const C = 1.5;
    const expected = [0, 1, 2].map(
      (d) => rows.reduce((s, v) => s + v[d] * Math.min(1, C / Math.hypot(...v)), 0) / rows.length,
    );
    for (const shards of [1, 2]) {
      const { job, record } = probeJob({
        rows: 6,
        dims: 3,
        batchSize: 6,
        epochs: 1,
        noiseMultiplier: 0,
        maxGradNorm: C,
        vectors: Float64Array.from(rows.flat()),
      });
      await runWithKey(job, shards, key(2));
      expect(record.sizes[0]).toBe(6);
      gradients(record.trail, 3, 1).forEach((g, d) => expect(g).toBeCloseTo(expected[d], 6));
    }
  });

  it('reads n from the released count, not the rows: the steps per epoch and the divisor q n', async () => {
    // Six rows, a released count of 8, batches of 8: q = 1 takes all six, one step per epoch, the sum over q n = 8.
    const rows = [
      [0.3, 0.4, 0],
      [0, 0, 1],
      [2, 0, 0],
      [1, 2, -2],
      [0, 0, 0],
      [0, -6, 8],
    ];
    const C = 1.5;
    const expected = [0, 1, 2].map((d) => rows.reduce((s, v) => s + v[d] * Math.min(1, C / Math.hypot(...v)), 0) / 8);
    const { job, record } = probeJob({
      rows: 6,
      dims: 3,
      batchSize: 8,
      epochs: 3,
      noiseMultiplier: 0,
      maxGradNorm: C,
      vectors: Float64Array.from(rows.flat()),
      privacy: { rows: 8, sampleRate: 1, steps: 3 },
    });
    const result = await runWithKey(job, 2, key(2));
    expect(result.stepsDone).toBe(3);
    expect(result.epochsDone).toBe(3);
    expect(record.sizes[0]).toBe(6);
    gradients(record.trail, 3, 1).forEach((g, d) => expect(g).toBeCloseTo(expected[d], 6));
    // A plan counted on the table's six rows (two batches of 4 an epoch) is refused when 12 were released (three).
    const counted = probeJob({ rows: 6, dims: 1, batchSize: 4, epochs: 1, noiseMultiplier: 1, maxGradNorm: 1 });
    await expect(trainParallel({ ...counted.job, privacy: { ...counted.job.privacy, rows: 12 } }, 1)).rejects.toThrow(
      'planned 2 steps, but the job takes 3',
    );
  });

  it('samples batches whose sizes follow Binomial(n, q), split across the shards without loss', async () => {
    const n = 200;
    const q = 0.1;
    const { job, record, steps } = probeJob({
      rows: n,
      dims: 1,
      batchSize: 20,
      epochs: 300,
      noiseMultiplier: 1,
      maxGradNorm: 1,
    });
    await runWithKey(job, 2, key(4));
    const sizes = Array.from(record.sizes);
    expect(Array.from(record.seen)).toEqual(sizes);
    const mean = sizes.reduce((a, x) => a + x, 0) / steps;
    const variance = sizes.reduce((a, x) => a + (x - mean) ** 2, 0) / (steps - 1);
    const binomialVariance = n * q * (1 - q);
    const mu4 = binomialVariance * (1 + 3 * (n - 2) * q * (1 - q));
    expect(Math.abs(mean - n * q)).toBeLessThan(5 * Math.sqrt(binomialVariance / steps));
    expect(Math.abs(variance - binomialVariance)).toBeLessThan(5 * Math.sqrt((mu4 - binomialVariance ** 2) / steps));
  });

  it('takes a noise-only step on an empty batch', async () => {
    // q = 1 / 20: about a third of the batches are empty.
    const { job, record, steps } = probeJob({
      rows: 20,
      dims: 4,
      batchSize: 1,
      epochs: 5,
      noiseMultiplier: 1,
      maxGradNorm: 1,
    });
    const result = await runWithKey(job, 2, key(5));
    expect(result.stepsDone).toBe(steps);
    const empty = Array.from(record.sizes.keys()).filter((t) => record.sizes[t] === 0);
    expect(empty.length).toBeGreaterThan(10);
    const g = gradients(record.trail, 4, steps);
    for (const t of empty) expect(g.subarray(4 * t, 4 * t + 4).every((v) => v !== 0)).toBe(true);
    expect(result.epochLoss.w).toHaveLength(5);
  });

  it('gives one and two shards the same batches, noise and update for the same key', async () => {
    const rng = createRng(3);
    const options = {
      rows: 64,
      dims: 6,
      batchSize: 8,
      epochs: 10,
      noiseMultiplier: 0.8,
      maxGradNorm: 1,
      coupling: 1,
      optimizer: ADAM,
      vectors: Float64Array.from({ length: 64 * 6 }, () => 2 * rng.next() - 1),
    };
    const one = probeJob(options);
    const two = probeJob(options);
    const a = await runWithKey(one.job, 1, key(8));
    const b = await runWithKey(two.job, 2, key(8));
    expect(Array.from(two.record.sizes)).toEqual(Array.from(one.record.sizes));
    // Float sums in another order: the same weights to float precision, step after step.
    Array.from(b.weights.w as Float32Array).forEach((w, i) => expect(w).toBeCloseTo(a.weights.w[i], 4));
    const other = probeJob(options);
    const c = await runWithKey(other.job, 2, key(9));
    expect(Array.from(other.record.sizes)).not.toEqual(Array.from(one.record.sizes));
    expect(Array.from(c.weights.w)).not.toEqual(Array.from(a.weights.w));
  });

  it("takes each fit's fresh key: the same seed twice gives other batches and noise, and the accountant epsilon", async () => {
    const { planPrivateTraining } = await import(dist('models/nn/train/private-plan.js'));
    const plan = () =>
      planPrivateTraining(
        {
          backend: 'fused',
          statistics: [],
          privacy: { epsilon: 1, delta: 1e-5, maxGradNorm: 1, rows: 50 },
        },
        { batchSize: 5, epochs: 4 },
        { rowCount: 0, columns: [] },
      );
    const [firstKey, secondKey] = [plan().key, plan().key];
    expect(Array.from(firstKey)).not.toEqual(Array.from(secondKey));
    const options = { rows: 50, dims: 8, batchSize: 5, epochs: 4, noiseMultiplier: 1.1, maxGradNorm: 1 };
    const first = probeJob({ ...options, key: firstKey });
    const second = probeJob({ ...options, key: secondKey });
    const a = await trainParallel(first.job, 2);
    const b = await trainParallel(second.job, 2);
    expect(Array.from(second.record.trail)).not.toEqual(Array.from(first.record.trail));
    expect(Array.from(second.record.sizes)).not.toEqual(Array.from(first.record.sizes));
    for (const result of [a, b]) {
      expect(result.privacy.steps).toBe(40);
      expect(result.privacy.spentEpsilon).toBe(epsilonSpent(0.1, 1.1, 40, 1e-5).epsilon);
    }
  });

  it('reports the epsilon of the steps taken when stopped', async () => {
    const { job } = probeJob({ rows: 50, dims: 2000, batchSize: 5, epochs: 200, noiseMultiplier: 1, maxGradNorm: 1 });
    const controller = new AbortController();
    const result = await trainParallel(job, 2, controller.signal, (p) => p.step >= 5 && controller.abort());
    expect(result.stopped).toBe(true);
    expect(result.stepsDone).toBeLessThan(2000);
    expect(result.privacy.steps).toBe(result.stepsDone);
    expect(result.privacy.spentEpsilon).toBe(epsilonSpent(0.1, 1, result.stepsDone, 1e-5).epsilon);
    expect(result.privacy.spentEpsilon).toBeLessThan(epsilonSpent(0.1, 1, 2000, 1e-5).epsilon);
  });

  it('restarts on weights that are not finite at an epoch’s end, never reading the loss, and counts every step taken', async () => {
    // Row 3's gradient is infinite: clipped by a factor 0 it is NaN, and so are the weights after any batch that samples it.
    const vectors = new Float64Array(50 * 4);
    vectors.fill(Infinity, 12, 16);
    const { job } = probeJob({
      rows: 50,
      dims: 4,
      batchSize: 5,
      epochs: 20,
      noiseMultiplier: 1,
      maxGradNorm: 1,
      vectors,
      optimizer: ADAM,
    });
    const { trainParallel: train } = await import(dist('models/nn/train/parallel.js'));
    const restarts: any[] = [];
    const result = await train(job, { threads: 2, backend: 'cpu', onRestart: (r: any) => restarts.push(r) });
    expect(restarts.length).toBeGreaterThan(0);
    for (const r of restarts) expect(r.reason).toMatch(/^the w weights were not finite at step \d+$/);
    expect(restarts.map((r) => r.lrScale)).toEqual([0.5, 0.25, 0.25].slice(0, restarts.length));
    expect(result.weights.w.every(Number.isFinite)).toBe(true);
    // The steps thrown away were releases too: the accountant counts every step taken, and no more than planned.
    expect(result.stepsDone).toBeLessThanOrEqual(200);
    expect(result.privacy.steps).toBe(result.stepsDone);
    expect(result.privacy.spentEpsilon).toBe(epsilonSpent(0.1, 1, result.stepsDone, 1e-5).epsilon);
  });

  it('refuses plans the accountant would not count right', async () => {
    const base = { rows: 10, dims: 1, batchSize: 5, epochs: 1, noiseMultiplier: 1, maxGradNorm: 1 };
    await expect(trainParallel(probeJob({ ...base, privacy: { steps: 3 } }).job, 1)).rejects.toThrow(
      'planned 3 steps, but the job takes 2',
    );
    await expect(trainParallel(probeJob({ ...base, privacy: { groups: ['v'] } }).job, 1)).rejects.toThrow(
      'unknown parameter groups: v',
    );
    await expect(trainParallel(probeJob({ ...base, schedule: ['w', 'w'] }).job, 1)).rejects.toThrow(
      'more than once per batch',
    );
  });
});
