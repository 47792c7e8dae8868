import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../../../src/core/rng.js';
import type { ColumnStatistics } from '../../../src/core/column-statistics.js';
import type { Table } from '../../../src/core/table.js';
import { fusedNets } from '../../../src/models/nn/create-net.js';
import { keyedDraws } from '../../../src/models/nn/train/private-training.js';
import { batchDrawsPerRow, buildBatch, spanGeometry } from '../../../src/models/tabddpm/batch.js';
import {
  STEP,
  TIME,
  TIME_DIM,
  X,
  denoiserSpec,
  initialWeights,
  timeFeaturesPerRow,
  timeFeatureTable,
} from '../../../src/models/tabddpm/denoiser.js';
import { DiffusionLoss } from '../../../src/models/tabddpm/diffusion-loss.js';
import { cosineSchedule } from '../../../src/models/tabddpm/schedule.js';
import { TABDDPM_FIXED_DEFAULTS } from '../../../src/models/tabddpm/space.js';
import { createTask, DENOISER, tabDdpmJob } from '../../../src/models/tabddpm/train-task.js';
import { STREAM } from '../../../src/privacy/dp-sgd/keystream.js';
import { epsilonSpent } from '../../../src/privacy/rdp-accountant.js';
import { checkNormal, looksNormal } from '../../helpers/normal-check.js';
import { goodnessOfFit } from '../../helpers/statistics.js';

// Worker threads run compiled JavaScript, so the fit below drives the build that `npm test` makes first.
const dist = (path: string) => fileURLToPath(new URL(`../../../dist/src/${path}`, import.meta.url));

const D_NUM = 2;
const SPANS = [3, 2];
const PARAMS = { ...TABDDPM_FIXED_DEFAULTS, n_iter: 2, batch_size: 8, num_timesteps: 30, width: 24, layers: 2 };
const SHAPE = { inputWidth: D_NUM + 5, layers: PARAMS.layers, width: PARAMS.width };

function data(rows: number) {
  const rng = createRng(5);
  return {
    rows,
    numeric: Float32Array.from({ length: rows * D_NUM }, () => 2 * rng.next() - 1),
    classes: Int32Array.from({ length: rows * SPANS.length }, (_, i) => rng.int(SPANS[i % SPANS.length])),
  };
}

const KEY = new Uint8Array(32).fill(3);
/** Arbitrary distinct identities for the rows of data(40). */
const IDS = Uint32Array.from({ length: 40 * 3 }, (_, i) => (i * 2654435761) >>> 0);
const draws = () => keyedDraws(KEY, IDS);

/**
 * The clipped sum the brute-force way: each row alone through the ordinary (gathering) denoiser
 * and its ordinary gradient, the row's loss as a batch of one, clipped in double precision.
 */
function bruteForceClippedSum(
  weights: Float32Array,
  encoded: ReturnType<typeof data>,
  rows: Int32Array,
  step: number,
  clipNorm: number,
) {
  const geometry = spanGeometry(SPANS);
  const schedule = cosineSchedule(PARAMS.num_timesteps);
  const table = timeFeatureTable(schedule.steps);
  // The batch the task builds from each row's keyed draws, after the first (its dropout seed).
  const rowRngs = draws().perRow(STREAM.example, step, rows, 1 + batchDrawsPerRow(D_NUM, geometry));
  rows.forEach((_, i) => rowRngs(i).next());
  const batch = buildBatch(encoded, rows, D_NUM, geometry, schedule, table, rowRngs);
  const net = fusedNets(denoiserSpec(SHAPE), weights);
  const loss = new DiffusionLoss(D_NUM, geometry, schedule, 1);
  const width = SHAPE.inputWidth;
  const nSpans = SPANS.length;
  const sum = new Float64Array(weights.length);
  const norms: number[] = [];
  const g = new Float32Array(weights.length);
  for (let r = 0; r < rows.length; r++) {
    const t = batch.steps[r];
    const one = {
      size: 1,
      input: batch.input.slice(r * width, (r + 1) * width),
      timeFeatures: table.slice(t * TIME_DIM, (t + 1) * TIME_DIM),
      stepIndex: Int32Array.of(0),
      steps: Int32Array.of(t),
      noise: batch.noise.slice(r * D_NUM, (r + 1) * D_NUM),
      trueClass: batch.trueClass.slice(r * nSpans, (r + 1) * nSpans),
      noisedClass: batch.noisedClass.slice(r * nSpans, (r + 1) * nSpans),
    };
    const inputs = { [X]: one.input, [TIME]: one.timeFeatures, [STEP]: one.stepIndex };
    net.gradient(inputs, 0, (output) => loss.compute(output, one, 1), g);
    const norm = Math.sqrt(g.reduce((s, v) => s + v * v, 0));
    norms.push(norm);
    const factor = Math.min(1, clipNorm / norm);
    for (let i = 0; i < g.length; i++) sum[i] += factor * g[i];
  }
  net.dispose();
  return { sum, norms };
}

function taskGradient(
  weights: Float32Array,
  encoded: ReturnType<typeof data>,
  rows: Int32Array,
  step: number,
  C: number,
) {
  const task = createTask(
    { data: encoded, dNum: D_NUM, spanSizes: SPANS, params: PARAMS, timePerRow: true },
    {
      shard: 0,
      shards: 1,
      rng: createRng(1),
      initial: { [DENOISER]: weights },
      nets: fusedNets,
      privateDraws: draws(),
    },
  );
  const out = new Float32Array(weights.length);
  const loss = task.gradient(DENOISER, { rows, batchSize: 10, epoch: 0, step, clipNorm: C }, out);
  task.dispose();
  return { out, loss };
}

const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('TabDDPM under DP-SGD', () => {
  it('runs the per-row denoiser with the same weights and outputs as the gathering one', () => {
    const weights = initialWeights(SHAPE, createRng(1));
    const table = timeFeatureTable(30);
    const steps = Int32Array.of(4, 17, 4, 29, 0);
    const x = Float32Array.from({ length: 5 * SHAPE.inputWidth }, (_, i) => Math.sin(i));
    const gathered = fusedNets(denoiserSpec(SHAPE), weights, false);
    const perRow = fusedNets(denoiserSpec(SHAPE, true), weights, false);
    const distinct = [4, 17, 29, 0];
    const timeFeatures = new Float32Array(distinct.length * TIME_DIM);
    distinct.forEach((t, k) => timeFeatures.set(table.subarray(t * TIME_DIM, (t + 1) * TIME_DIM), k * TIME_DIM));
    const a = gathered.forward({ [X]: x, [TIME]: timeFeatures, [STEP]: Int32Array.of(0, 1, 0, 2, 3) }).slice();
    const b = perRow.forward({ [X]: x, [TIME]: timeFeaturesPerRow(table, steps) });
    expect(maxAbs(b.map((v, i) => v - a[i]))).toBeLessThan(1e-5);
  });

  it('clips per example as one row at a time through the ordinary gradient does, in one shard and in two', () => {
    const encoded = data(40);
    const weights = initialWeights(SHAPE, createRng(2));
    const rows = Int32Array.of(3, 7, 8, 15, 21, 22, 30, 39, 0, 11);
    // C at the median norm: half the rows are clipped, half kept whole.
    const { norms } = bruteForceClippedSum(weights, encoded, rows, 77, 1);
    const C = [...norms].sort((p, q) => p - q)[5];
    expect(norms.filter((n) => n > C * 1.01).length).toBeGreaterThanOrEqual(3);
    expect(norms.filter((n) => n < C * 0.99).length).toBeGreaterThanOrEqual(3);
    const whole = bruteForceClippedSum(weights, encoded, rows, 7, C);
    const one = taskGradient(weights, encoded, rows, 7, C);
    const scale = maxAbs(whole.sum);
    expect(maxAbs(one.out.map((v, i) => v - whole.sum[i]))).toBeLessThan(1e-5 * scale);
    // Two shards, each with its rows: each row's draws are its own, so their slots sum to the one shard's.
    const first = rows.subarray(0, 5);
    const second = rows.subarray(5);
    const shards = [taskGradient(weights, encoded, first, 7, C), taskGradient(weights, encoded, second, 7, C)];
    const summed = shards[0].out.map((v, i) => v + shards[1].out[i]);
    expect(maxAbs(summed.map((v, i) => v - whole.sum[i]))).toBeLessThan(1e-5 * scale);
    // Another step draws other timesteps and noise: another sum.
    expect(maxAbs(taskGradient(weights, encoded, rows, 8, C).out.map((v, i) => v - one.out[i]))).toBeGreaterThan(
      1e-3 * scale,
    );
    // The returned loss is still the slice's share of the batch mean (batch of 10 here).
    expect(Number.isFinite(one.loss) && one.loss > 0).toBe(true);
  });

  it("draws each row's timestep uniformly, its noise N(0, 1) and its class kept with alpha-bar, from the keyed draws", () => {
    const rows = 6000;
    const encoded = data(rows);
    const ids = Uint32Array.from({ length: rows * 3 }, (_, i) => Math.imul(i + 7, 2654435761) >>> 0);
    const geometry = spanGeometry(SPANS);
    const schedule = cosineSchedule(PARAMS.num_timesteps);
    const all = Int32Array.from({ length: rows }, (_, i) => i);
    const keyed = keyedDraws(KEY, ids).perRow(STREAM.example, 3, all, batchDrawsPerRow(D_NUM, geometry));
    const batch = buildBatch(encoded, all, D_NUM, geometry, schedule, timeFeatureTable(schedule.steps), keyed);
    const perStep = new Array<number>(schedule.steps).fill(0);
    for (const t of batch.steps) perStep[t]++;
    expect(
      goodnessOfFit(
        perStep,
        perStep.map(() => 1 / schedule.steps),
      ),
    ).toBeGreaterThan(1e-4);
    expect(looksNormal(checkNormal(batch.noise, 1))).toBe(true);
    // Each span keeps its class with alpha-bar_t, else draws uniformly: P(noised = true) = a + (1 - a) / size.
    SPANS.forEach((size, s) => {
      let kept = 0;
      let expected = 0;
      let variance = 0;
      for (let i = 0; i < rows; i++) {
        const a = schedule.alphaBar[batch.steps[i]];
        const p = a + (1 - a) / size;
        expected += p;
        variance += p * (1 - p);
        if (batch.noisedClass[i * SPANS.length + s] === batch.trueClass[i * SPANS.length + s]) kept++;
      }
      expect(Math.abs(kept - expected)).toBeLessThan(5 * Math.sqrt(variance));
    });
  });

  it('builds a job whose denoiser is the private group, on the per-row network', () => {
    const encoded = data(40);
    const privacy = {
      noiseMultiplier: 1,
      maxGradNorm: 1,
      sampleRate: 0.2,
      rows: 40,
      steps: 10,
      delta: 1e-5,
      key: KEY,
      rowIds: IDS,
    };
    const job = tabDdpmJob(
      { data: encoded, dNum: D_NUM, spanSizes: SPANS, params: { ...PARAMS, batch_size: 8, n_iter: 2 } },
      { seed: 1, initialWeights: initialWeights(SHAPE, createRng(1)), reportEvery: 1, checkEvery: 0, privacy },
    );
    expect(job.privacy).toEqual({ ...privacy, groups: [DENOISER] });
    expect(job.payload.timePerRow).toBe(true);
  });
});

function smallTable(rows: number): Table {
  const rng = createRng(11);
  const levels = ['a', 'b', 'c'];
  const codes = Int32Array.from({ length: rows }, () => rng.int(levels.length));
  const x = Float64Array.from({ length: rows }, (_, i) => codes[i] * 2 + rng.next());
  const y = Float64Array.from({ length: rows }, (_, i) => Math.round(10 * x[i] + 5 * rng.next()));
  return {
    rowCount: rows,
    columns: [
      { name: 'x', kind: 'numeric', values: x },
      { name: 'y', kind: 'numeric', values: y },
      { name: 'group', kind: 'categorical', codes, levels },
    ],
  };
}

/** Public statistics of smallTable: its columns' ranges and quantiles, and the three levels. */
const SMALL_STATISTICS: ColumnStatistics[] = [
  { kind: 'numeric', name: 'x', min: 0, max: 5, quantiles: [0, 1.5, 2.5, 3.5, 5], step: 0, missing: false },
  { kind: 'numeric', name: 'y', min: 0, max: 55, quantiles: [0, 15, 25, 35, 55], step: 1, missing: false },
  { kind: 'categorical', name: 'group', levels: ['a', 'b', 'c'], placeholder: null, missing: false },
];

describe('a TabDDPM fit with a privacy target', () => {
  const params = { ...PARAMS, n_iter: 4, batch_size: 16, ema: 0.9 };
  const privacy = { epsilon: 3, delta: 1e-4, maxGradNorm: 1, rows: 120 };

  it('spends at most the target, states what the accountant says, samples a valid table and reloads', async () => {
    const { useBackend } = await import(dist('core/backend.js'));
    const { TabDdpm } = await import(dist('models/tabddpm/model.js'));
    await useBackend('fused');
    const model = new TabDdpm(params);
    const fit = await model.fit(smallTable(120), {
      seed: 3,
      threads: 2,
      backend: 'fused',
      privacy,
      statistics: SMALL_STATISTICS,
    });
    const p = fit.privacy!;
    expect(p.targetEpsilon).toBe(3);
    expect(p.spentEpsilon).toBeLessThanOrEqual(3);
    expect(p).toMatchObject({ delta: 1e-4, maxGradNorm: 1, sampleRate: 16 / 120, steps: 4 * 8 });
    expect(p.spentEpsilon).toBe(epsilonSpent(p.sampleRate, p.noiseMultiplier, p.steps, p.delta).epsilon);
    expect(p.noiseMultiplier).toBeGreaterThan(0.3);
    expect(fit.stepsDone).toBe(32);
    const { table, checks } = (await model.sample(60, { seed: 1 })) as { table: Table; checks: unknown[] };
    expect(table.rowCount).toBe(60);
    expect(table.columns.map((c) => c.name)).toEqual(['x', 'y', 'group']);
    for (const column of table.columns) {
      if (column.kind === 'categorical') expect(Array.from(column.codes).every((c) => c >= 0 && c < 3)).toBe(true);
      else expect(Array.from(column.values).every(Number.isFinite)).toBe(true);
    }
    // The spread check needs the training rows' edge shares, which a DP run does not keep.
    expect(checks).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'gesalp-dp-'));
    try {
      await model.save(dir);
      const loaded = await TabDdpm.load(dir);
      expect(loaded.training.privacy).toEqual(p);
      expect((await loaded.sample(60, { seed: 1 })).table).toEqual(table);
      loaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      model.dispose();
    }
  });

  it('refuses a TensorFlow.js backend, which has no per-example gradients', async () => {
    const { TabDdpm } = await import(dist('models/tabddpm/model.js'));
    const model = new TabDdpm(params);
    await expect(model.fit(smallTable(50), { seed: 1, threads: 1, backend: 'wasm', privacy })).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringContaining('per-example gradients'),
    });
  });
});
