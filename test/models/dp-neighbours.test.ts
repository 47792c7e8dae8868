import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Table } from '../../src/core/table.js';
import type { FitSummary } from '../../src/models/synthesizer.js';
import { TABDDPM_FIXED_DEFAULTS } from '../../src/models/tabddpm/space.js';
import { TVAE_FIXED_DEFAULTS } from '../../src/models/tvae/space.js';
import { SMALL_DP_STATISTICS, smallDpFitOptions, smallDpTable } from '../helpers/dp-table.js';

/**
 * The acceptance of per-example randomness keyed by row: with the noise off and C = 1, one DP
 * step's summed clipped gradient on D and on D plus one row (first, in the middle or last; an
 * extreme row, or a copy of a row already there) differ by at most C, for every method, on one
 * shard and on two. dp-neighbour-steps.mjs runs the models' own jobs (the fits' recoding,
 * planning, encoding and initial weights) through the engine's Poisson batches, slices and keyed
 * draws at one key, and hands back each step's batch size and clipped sum; this file judges them.
 */

const C = 1;
const KEY = new Uint8Array(32).fill(11);
/** Steps compared per table: the weights stay the initial ones, each step is its own Poisson batch. */
const STEPS = 8;
/** The released count both neighbours calibrate with. */
const RELEASED = 40;

interface StepResults {
  readonly plan: { sampleRate: number; steps: number; rows: number; noiseMultiplier: number };
  readonly initial: Record<string, Float32Array>;
  readonly sizes: number[];
  readonly sums: Float64Array[];
}

function run(method: string, shards: number, tables: Table[]): Promise<StepResults[]> {
  const worker = new Worker(new URL('./dp-neighbour-steps.mjs', import.meta.url), {
    workerData: {
      method,
      shards,
      steps: STEPS,
      key: KEY,
      released: RELEASED,
      clipNorm: C,
      statistics: SMALL_DP_STATISTICS,
      tables,
    },
  });
  return new Promise<StepResults[]>((resolve, reject) => {
    worker.on('message', resolve);
    worker.on('error', reject);
  }).finally(() => worker.terminate());
}

/** smallDpTable(40) with two values of x missing and row 9 a copy of row 3 (so copies meet their occurrence index). */
function baseTable(): Table {
  const table = smallDpTable(40);
  const [x, group] = table.columns;
  if (x.kind === 'categorical' || group.kind !== 'categorical') throw new Error('smallDpTable changed');
  x.values[5] = NaN;
  x.values[17] = NaN;
  x.values[9] = x.values[3];
  group.codes[9] = group.codes[3];
  return table;
}

/** `table` with the row (x, level code) inserted at `at`. */
function withRow(table: Table, row: { x: number; code: number }, at: number): Table {
  const [x, group] = table.columns;
  if (x.kind === 'categorical' || group.kind !== 'categorical') throw new Error('smallDpTable changed');
  const values = Float64Array.from([...x.values.subarray(0, at), row.x, ...x.values.subarray(at)]);
  const codes = Int32Array.from([...group.codes.subarray(0, at), row.code, ...group.codes.subarray(at)]);
  return {
    rowCount: table.rowCount + 1,
    columns: [
      { ...x, values },
      { ...group, codes },
    ],
  };
}

const distance = (a: Float64Array, b: Float64Array) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0));
const maxAbsDifference = (a: Float32Array, b: Float32Array) =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('DP-SGD on neighbouring tables (one row added), noise off, C = 1', () => {
  const base = baseTable();
  const [x, group] = base.columns;
  if (x.kind === 'categorical' || group.kind !== 'categorical') throw new Error('smallDpTable changed');
  const crafted = {
    // The top of x's range with the one-row level (recoded to the placeholder): a row unlike the others.
    extreme: { x: 15, code: 2 },
    // A copy of row 3 (and so of row 9): the copies' occurrence indices move.
    copy: { x: x.values[3], code: group.codes[3] },
  };
  const neighbours = Object.entries(crafted).flatMap(([kind, row]) =>
    [0, 20, base.rowCount].map((at) => ({ name: `${kind} row at ${at}`, table: withRow(base, row, at) })),
  );

  for (const method of ['ddpm', 'tvae', 'ctgan'])
    it(`${method}: one added row moves a step's clipped sum by at most C, first, middle or last, on 1 and 2 shards`, async () => {
      for (const shards of [1, 2]) {
        const [before, ...after] = await run(method, shards, [base, ...neighbours.map((n) => n.table)]);
        after.forEach((result, k) => {
          const name = `${neighbours[k].name}, ${shards} shard(s)`;
          // The same plan and initial weights: neither reads the rows.
          expect([name, result.plan]).toEqual([name, before.plan]);
          for (const [group, weights] of Object.entries(result.initial))
            expect([name, group, maxAbsDifference(weights, before.initial[group])]).toEqual([name, group, 0]);
          let taken = 0;
          result.sums.forEach((sum, t) => {
            const grown = result.sizes[t] - before.sizes[t];
            const moved = distance(sum, before.sums[t]);
            const where = `${name}, step ${t}: batch ${before.sizes[t]} -> ${result.sizes[t]}, moved ${moved}`;
            // Every other row keeps its coin: the batch gains the new row or nothing.
            expect([where, grown === 0 || grown === 1]).toEqual([where, true]);
            if (grown === 1) {
              taken++;
              expect([where, moved <= C + 1e-6 && moved > 1e-3]).toEqual([where, true]);
            } else expect([where, moved <= 1e-6]).toEqual([where, true]);
          });
          // The key takes the new row in some steps and leaves it out of others: both cases are seen.
          expect([name, taken > 0 && taken < STEPS]).toEqual([name, true]);
        });
      }
    }, 180000);
});

describe('DP fits on neighbouring tables with the same released count', () => {
  // Worker threads run compiled JavaScript, so the fits drive the build (npm run build first).
  const dist = (path: string) => fileURLToPath(new URL(`../../dist/src/${path}`, import.meta.url));
  const privacy = { epsilon: 3, delta: 1e-4, maxGradNorm: 1, rows: 120 };
  const models = {
    ddpm: ['models/tabddpm/model.js', 'TabDdpm', { ...TABDDPM_FIXED_DEFAULTS, n_iter: 2, batch_size: 16, width: 24 }],
    tvae: ['models/tvae/model.js', 'Tvae', { ...TVAE_FIXED_DEFAULTS, n_iter: 2, batch_size: 16, embedding_dim: 8 }],
    ctgan: ['models/ctgan/model.js', 'Ctgan', { n_iter: 2, batch_size: 16, lr: 2e-4, embedding_dim: 8, pac: 8 }],
  } as const;

  it('plan the same q, steps and sigma and take the same steps: n is the released count, not the rows', async () => {
    const { useBackend } = await import(dist('core/backend.js'));
    await useBackend('fused');
    const d = smallDpTable(100);
    const [x, group] = d.columns;
    if (x.kind === 'categorical' || group.kind !== 'categorical') throw new Error('smallDpTable changed');
    const extra = withRow(d, { x: 15, code: 1 }, 50);
    for (const [name, [path, exported, params]] of Object.entries(models)) {
      const Model = (await import(dist(path)))[exported];
      const fit = async (table: Table) => {
        const model = new Model(params);
        try {
          return (await model.fit(table, smallDpFitOptions(privacy))) as FitSummary;
        } finally {
          model.dispose();
        }
      };
      const [a, b] = [await fit(d), await fit(extra)];
      const figures = (s: FitSummary) => ({
        q: s.privacy!.sampleRate,
        steps: s.privacy!.steps,
        sigma: s.privacy!.noiseMultiplier,
        spent: s.privacy!.spentEpsilon,
        taken: s.stepsDone,
      });
      expect([name, figures(b)]).toEqual([name, figures(a)]);
      // All from the released 120: q = 16 / 120, 2 epochs of ceil(120 / 16) = 8 steps.
      expect([name, figures(a).q, figures(a).steps, figures(a).taken]).toEqual([name, 16 / 120, 16, 16]);
    }
  }, 180000);

  it('states both the planned target and what a stopped run took', async () => {
    const { TabDdpm } = await import(dist('models/tabddpm/model.js'));
    const { epsilonSpent } = await import(dist('privacy/rdp-accountant.js'));
    const controller = new AbortController();
    const model = new TabDdpm({ ...TABDDPM_FIXED_DEFAULTS, n_iter: 50, batch_size: 16, width: 24 });
    try {
      const fit: FitSummary = await model.fit(smallDpTable(100), {
        ...smallDpFitOptions(privacy),
        signal: controller.signal,
        onProgress: (p: { step: number }) => p.step >= 10 && controller.abort(),
      });
      const p = fit.privacy!;
      expect(fit.stopped).toBe(true);
      expect(p.steps).toBe(fit.stepsDone);
      expect(p.steps).toBeLessThan(50 * 8);
      // The plan: the target, which the accountant's epsilon over all 400 planned steps meets.
      expect(p.targetEpsilon).toBe(3);
      expect(epsilonSpent(p.sampleRate, p.noiseMultiplier, 50 * 8, p.delta).epsilon).toBeLessThanOrEqual(3);
      // What was taken: the accountant's epsilon for the steps done, less than the plan.
      expect(p.spentEpsilon).toBe(epsilonSpent(p.sampleRate, p.noiseMultiplier, p.steps, p.delta).epsilon);
      expect(p.spentEpsilon).toBeLessThan(p.targetEpsilon);
    } finally {
      model.dispose();
    }
  }, 120000);
});
