import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Table } from '../../../src/core/table.js';
import type { Ctgan as CtganModel } from '../../../src/models/ctgan/model.js';
import type { CtganParams } from '../../../src/models/ctgan/space.js';
import type { FitOptions, FitProgress } from '../../../src/models/synthesizer.js';

/**
 * CTGAN end to end on the penguins fixture (344 rows: 3 categorical columns, one with gaps, and 4
 * numeric with gaps): a short fit samples a valid table with close categorical marginals, saves
 * and loads to the same rows, repeats with the seed, stops at a checkpoint, and conditions.
 */
// Worker threads run compiled JavaScript, so this test drives the build (npm run build first).
const dist = (path: string) => fileURLToPath(new URL(`../../../dist/src/${path}`, import.meta.url));
const PENGUINS = fileURLToPath(new URL('../../../fixtures/penguins/penguins.csv', import.meta.url));

const PARAMS: CtganParams = { n_iter: 20, batch_size: 100, lr: 2e-4, embedding_dim: 128, pac: 10 };
/** After 20 epochs (60 steps) each categorical column's TVD stays under this (0.04-0.07 seen). */
const MAX_TVD = 0.15;

type CtganClass = typeof CtganModel;
let Ctgan: CtganClass;
let totalVariation: (a: Int32Array, b: Int32Array, levels: number) => number;
let table: Table;
let trained: CtganModel;
let progress: FitProgress[];
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'gesalp-ctgan-'));
  dirs.push(dir);
  return dir;
};
const fitOptions = (extra: Partial<FitOptions> = {}): FitOptions => ({
  seed: 3,
  threads: 2,
  backend: 'fused',
  ...extra,
});

beforeAll(async () => {
  ({ Ctgan } = await import(dist('models/ctgan/model.js')));
  ({ totalVariation } = await import(dist('metrics/formulas/tvd.js')));
  const { loadInputs } = await import(dist('core/io/load-inputs.js'));
  table = (await loadInputs([PENGUINS], {})).tables[0];
  trained = new Ctgan(PARAMS);
  progress = [];
  await trained.fit(table, fitOptions({ onProgress: (p) => progress.push(p) }));
});

afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('CTGAN on penguins', () => {
  it('samples a table of the schema with categorical marginals within the stated TVD and numbers in range', async () => {
    const { table: synthetic } = await trained.sample(400, { seed: 1 });
    expect(synthetic.rowCount).toBe(400);
    expect(synthetic.columns.map((c) => [c.name, c.kind])).toEqual(table.columns.map((c) => [c.name, c.kind]));
    table.columns.forEach((real, j) => {
      const fake = synthetic.columns[j];
      if (real.kind === 'categorical' && fake.kind === 'categorical') {
        expect(totalVariation(real.codes, fake.codes, real.levels.length)).toBeLessThan(MAX_TVD);
      } else if (real.kind !== 'categorical' && fake.kind !== 'categorical') {
        const seen = real.values.filter((v) => !Number.isNaN(v));
        const values = fake.values.filter((v) => !Number.isNaN(v));
        expect(values.length).toBeGreaterThan(350);
        expect(Math.min(...values)).toBeGreaterThanOrEqual(Math.min(...seen));
        expect(Math.max(...values)).toBeLessThanOrEqual(Math.max(...seen));
      }
    });
  });

  it('reports both networks’ losses while training and the generator’s per epoch', () => {
    expect(progress.length).toBeGreaterThan(0);
    const last = progress[progress.length - 1];
    expect(Object.keys(last.losses ?? {}).sort()).toEqual(['discriminator', 'generator']);
    expect(Number.isFinite(last.losses!.discriminator)).toBe(true);
    expect(last.loss).toBe(last.losses!.generator);
    expect(trained.training?.epochLoss).toHaveLength(20);
    expect(trained.training?.stepsDone).toBe(60);
  });

  it('saves and loads to the same rows for the same seed', async () => {
    const dir = tempDir();
    await trained.save(dir);
    const loaded = await Ctgan.load(dir);
    const [a, b] = [await trained.sample(150, { seed: 9 }), await loaded.sample(150, { seed: 9 })];
    expect(b.table).toEqual(a.table);
    expect(loaded.params).toEqual(PARAMS);
    expect(loaded.training?.stepsDone).toBe(60);
  });

  it('refuses a damaged save: weights of the wrong size, a layout span past the row', async () => {
    const { writeFileSync } = await import('node:fs');
    const dir = tempDir();
    await trained.save(dir);
    writeFileSync(join(dir, 'generator.bin'), new Uint8Array(12));
    await expect(Ctgan.load(dir)).rejects.toMatchObject({ exitCode: 3, message: /generator.bin has 12 bytes/ });
    await trained.save(dir);
    const file = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    file.layout.discreteSpans = [999];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(file));
    await expect(Ctgan.load(dir)).rejects.toMatchObject({ exitCode: 3, message: /discreteSpans/ });
  });

  it('repeats with the seed and thread count, and stops at a checkpoint that samples from the generator so far', async () => {
    const weightsOf = async (model: CtganModel) => {
      const dir = tempDir();
      await model.save(dir);
      return readFileSync(join(dir, 'generator.bin'));
    };
    const short = { ...PARAMS, n_iter: 3 };
    const sampled: number[] = [];
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const model = new Ctgan(short);
      await model.fit(
        table,
        fitOptions({
          checkpoints: {
            everyEpochs: 1,
            decide: async (_epoch, sample) => {
              sampled.push((await sample(30)).rowCount);
              return true;
            },
          },
        }),
      );
      runs.push(model);
    }
    expect(sampled).toEqual([30, 30]);
    expect(runs[0].training).toMatchObject({ earlyStopped: true, epochsDone: 1 });
    expect((await weightsOf(runs[0])).equals(await weightsOf(runs[1]))).toBe(true);
    const other = new Ctgan({ ...short, n_iter: 1 });
    await other.fit(table, fitOptions({ seed: 4 }));
    expect((await weightsOf(other)).equals(await weightsOf(runs[0]))).toBe(false);
  });

  it('conditions on categorical values: only rows with each value, the rows asked for of each, in order', async () => {
    const condition = { column: 'Species', values: ['Gentoo', 'Chinstrap'] };
    const { table: rows } = await trained.sample(40, { seed: 2, condition });
    expect(rows.rowCount).toBe(80);
    const species = rows.columns[0];
    if (species.kind !== 'categorical') throw new Error('Species is categorical');
    const names = [...species.codes].map((c) => species.levels[c]);
    expect(new Set(names.slice(0, 40))).toEqual(new Set(['Gentoo']));
    expect(new Set(names.slice(40))).toEqual(new Set(['Chinstrap']));
  });

  it('refuses conditions it cannot hold, other backends and a batch that is not whole packs (exit 2)', async () => {
    const sample = (column: string, value: string) =>
      trained.sample(5, { seed: 1, condition: { column, values: [value] } });
    await expect(sample('Specis', 'Gentoo')).rejects.toMatchObject({ exitCode: 2, hint: /Did you mean 'Species'/ });
    await expect(sample('Body Mass (g)', '4000')).rejects.toMatchObject({ exitCode: 2, message: /is numeric/ });
    await expect(sample('Species', 'Emperor')).rejects.toMatchObject({ exitCode: 2, hint: /Gentoo/ });
    const fresh = new Ctgan(PARAMS);
    await expect(fresh.fit(table, fitOptions({ backend: 'wasm' }))).rejects.toMatchObject({
      exitCode: 2,
      hint: /--backend fused/,
    });
    expect(() => new Ctgan({ ...PARAMS, batch_size: 105 })).toThrow(/not a multiple of pac 10/);
  });
});
