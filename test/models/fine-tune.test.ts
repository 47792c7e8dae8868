import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Table } from '../../src/core/table.js';
import type { FineTuneStart } from '../../src/models/fine-tune.js';
import type { FitOptions, Synthesizer } from '../../src/models/synthesizer.js';

/**
 * Fine-tuning (--init-from) at the model level, with real training on the penguins fixture: a fit
 * given a saved model's start begins from its weights (a fit at the smallest learning rate ends
 * next to them, where a fresh fit is far away), reuses its transform, keeps what a save needs to be
 * fine-tuned again, and a folder of the older format still samples but offers no start.
 */
// Worker threads run compiled JavaScript, so this test drives the build (npm run build first).
const dist = (path: string) => fileURLToPath(new URL(`../../dist/src/${path}`, import.meta.url));
const PENGUINS = fileURLToPath(new URL('../../fixtures/penguins/penguins.csv', import.meta.url));

type Registry = typeof import('../../src/models/registry.js');
type FineTune = typeof import('../../src/models/fine-tune.js');
let registry: Registry;
let fineTune: FineTune;
let table: Table;
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'gesalp-fine-tune-'));
  dirs.push(dir);
  return dir;
};
const fitOptions = (extra: Partial<FitOptions> = {}): FitOptions => ({
  seed: 3,
  threads: 1,
  backend: 'fused',
  ...extra,
});

beforeAll(async () => {
  registry = await import(dist('models/registry.js'));
  fineTune = await import(dist('models/fine-tune.js'));
  const { loadInputs } = await import(dist('core/io/load-inputs.js'));
  table = (await loadInputs([PENGUINS], {})).tables[0];
});
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Every network's weights of a start, one array (their order is the method's). */
function weightsOf(start: FineTuneStart): Float32Array {
  const s = start.state as Record<string, unknown>;
  const parts = [s.weights, s.generator, (s.critic as { weights?: unknown } | undefined)?.weights].filter(
    // Not instanceof: arrays that come back from the training workers belong to another realm.
    (w): w is Float32Array => ArrayBuffer.isView(w),
  );
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The largest difference of two weight vectors; Infinity where their shapes differ (a refitted transform). */
const maxDiff = (a: Float32Array, b: Float32Array) => {
  if (a.length !== b.length) return Infinity;
  let most = 0;
  for (let i = 0; i < a.length; i++) most = Math.max(most, Math.abs(a[i] - b[i]));
  return most;
};

const CASES: { id: string; params: Record<string, number>; slow: Record<string, number> }[] = [
  {
    id: 'ddpm',
    params: { n_iter: 3, batch_size: 64, num_timesteps: 20, ema: 0.9, sample_steps: 20 },
    slow: { n_iter: 1, lr: 1e-5 },
  },
  { id: 'ctgan', params: { n_iter: 2, batch_size: 100, pac: 10 }, slow: { n_iter: 1, lr: 1e-5 } },
  { id: 'tvae', params: { n_iter: 3, batch_size: 100 }, slow: { n_iter: 1, lr: 1e-5 } },
];

async function create(id: string, params: Record<string, number>): Promise<Synthesizer> {
  const d = registry.REGISTRY.get(id);
  return d.create({ ...d.fixedDefaults, ...params });
}

describe.each(CASES)('fine-tuning $id', ({ id, params, slow }) => {
  let saved: Synthesizer;
  let start: FineTuneStart;

  beforeAll(async () => {
    saved = await create(id, params);
    await saved.fit(table, fitOptions());
    const dir = tempDir();
    await saved.save(dir);
    // From the folder, as --init-from reads it: the start survives a save.
    const loaded = await registry.loadModel(dir);
    start = loaded.fineTuneStart!()!;
    expect(start).not.toBeNull();
    expect(weightsOf(start).length).toBeGreaterThan(1000);
    expect(maxDiff(weightsOf(start), weightsOf(saved.fineTuneStart!()!))).toBe(0);
  }, 60000);

  it('starts from the saved weights: one epoch at the smallest learning rate ends beside them, a fresh fit far away', async () => {
    const tuned = await create(id, { ...params, ...slow });
    await tuned.fit(table, fitOptions({ seed: 11, init: start }));
    const fresh = await create(id, { ...params, ...slow });
    await fresh.fit(table, fitOptions({ seed: 11 }));
    const from = weightsOf(start);
    const near = maxDiff(weightsOf(tuned.fineTuneStart!()!), from);
    const far = maxDiff(weightsOf(fresh.fineTuneStart!()!), from);
    expect(near).toBeLessThan(0.01);
    expect(far).toBeGreaterThan(20 * near);
    // The transform is the saved model's, not refitted on these rows.
    expect((tuned.fineTuneStart!()!.state as { layout: unknown }).layout).toEqual(
      (start.state as { layout: unknown }).layout,
    );
    expect((await tuned.sample(20, { seed: 1 })).table.rowCount).toBe(20);
  }, 60000);

  it('refuses rows with a level the saved model never saw, naming the column and the level', async () => {
    const species = table.columns[0];
    if (species.kind !== 'categorical') throw new Error('Species is categorical');
    const odd: Table = {
      rowCount: table.rowCount,
      columns: [{ ...species, levels: [...species.levels.slice(0, -1), 'Dodo'] }, ...table.columns.slice(1)],
    };
    const tuned = await create(id, { ...params, ...slow });
    await expect(tuned.fit(odd, fitOptions({ init: start }))).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringMatching(/Species: Dodo/),
    });
  });
});

describe('the training loss of a fine-tuned TVAE', () => {
  it('starts far below a fresh model', async () => {
    const params = { n_iter: 8, batch_size: 50 };
    const first = await create('tvae', params);
    const trained = await first.fit(table, fitOptions());
    const tuned = await create('tvae', { ...params, n_iter: 1 });
    const again = await tuned.fit(table, fitOptions({ seed: 5, init: first.fineTuneStart!()! }));
    // A fresh model's first epoch against the fine-tuned one's (the saved model ended near the latter).
    expect(again.epochLoss[0]).toBeLessThan(0.75 * trained.epochLoss[0]);
    expect(again.epochLoss[0]).toBeLessThan(trained.epochLoss[2]);
  }, 60000);
});

describe('model folders of the format before fine-tuning', () => {
  it.each([
    ['tvae', 'gesalp-tvae/1', 'encoder.bin', { n_iter: 1, batch_size: 100 }],
    ['ctgan', 'gesalp-ctgan/1', 'discriminator.bin', { n_iter: 1, batch_size: 100, pac: 10 }],
  ])(
    '%s: a format 1 folder still samples, and offers no start',
    async (id, format, file, params) => {
      const model = await create(id, params);
      await model.fit(table, fitOptions());
      const dir = tempDir();
      await model.save(dir);
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
      expect(json.format).toBe(format.replace('/1', '/2'));
      rmSync(join(dir, file));
      delete json.discriminator_dims;
      delete json.discriminator_pac;
      writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...json, format }));
      const old = await registry.loadModel(dir);
      expect(old.fineTuneStart!()).toBeNull();
      const [a, b] = [await model.sample(30, { seed: 4 }), await old.sample(30, { seed: 4 })];
      expect(b.table).toEqual(a.table);
    },
    60000,
  );
});

describe('schemaMismatch', () => {
  it('names missing, extra and retyped columns, and another order', () => {
    const columns = [
      { name: 'a', kind: 'numeric' as const },
      { name: 'b', kind: 'categorical' as const, levels: ['x'] },
      { name: 'c', kind: 'numeric' as const },
    ];
    const t = (cols: [string, 'numeric' | 'categorical'][]): Table => ({
      rowCount: 0,
      columns: cols.map(([name, kind]) =>
        kind === 'numeric'
          ? { name, kind, values: new Float64Array(0) }
          : { name, kind, codes: new Int32Array(0), levels: [] },
      ),
    });
    expect(
      fineTune.schemaMismatch(
        t([
          ['a', 'numeric'],
          ['b', 'categorical'],
          ['c', 'numeric'],
        ]),
        columns,
      ),
    ).toBeNull();
    expect(
      fineTune.schemaMismatch(
        t([
          ['a', 'numeric'],
          ['B', 'categorical'],
          ['d', 'numeric'],
        ]),
        columns,
      ),
    ).toBe('missing column(s) b, c; column(s) the model does not know: B, d');
    expect(
      fineTune.schemaMismatch(
        t([
          ['a', 'categorical'],
          ['b', 'categorical'],
          ['c', 'numeric'],
        ]),
        columns,
      ),
    ).toBe("retyped column(s) a (categorical, the model's is numeric)");
    expect(
      fineTune.schemaMismatch(
        t([
          ['b', 'categorical'],
          ['a', 'numeric'],
          ['c', 'numeric'],
        ]),
        columns,
      ),
    ).toMatch(/another order/);
  });
});

describe('recodeForFineTuning', () => {
  const start = (): FineTuneStart => ({
    method: 'ddpm',
    params: {},
    columns: [
      { name: 'n', kind: 'numeric' },
      { name: 'c', kind: 'categorical', levels: ['a', 'b'] },
    ],
    missingAllowed: [false, false],
    state: null,
  });
  const rows: Table = {
    rowCount: 4,
    columns: [
      { name: 'n', kind: 'numeric', values: Float64Array.from([1, NaN, 3, 4]) },
      { name: 'c', kind: 'categorical', codes: Int32Array.from([0, 1, 2, -1]), levels: ['b', 'a', 'z'] },
    ],
  };

  it("re-codes the levels onto the saved model's by label, and refuses unseen ones and gaps, naming them", () => {
    expect(() => fineTune.recodeForFineTuning(rows, start())).toThrow(
      /n: missing values \(the model learnt none\); c: z, \(missing\)/,
    );
    const ok = fineTune.recodeForFineTuning(rows, { ...start(), missingAllowed: [true, true] }, 'unseen');
    const c = ok.columns[1];
    expect(c.kind === 'categorical' && [...c.codes]).toEqual([1, 0, fineTune.UNSEEN, -1]);
  });

  it('under DP codes them as unseen instead; TabDDPM then draws a saved level for each, dropping no row', () => {
    const coded = fineTune.recodeForFineTuning(rows, start(), 'unseen');
    const c = coded.columns[1];
    expect(c.kind === 'categorical' && [...c.codes]).toEqual([1, 0, fineTune.UNSEEN, fineTune.UNSEEN]);
    const layout = {
      columnCount: 2,
      numeric: [],
      spans: [{ role: 'category', column: 1, codes: [0, 1] }],
    } as unknown as Parameters<FineTune['drawUnseenLevels']>[1];
    // Each row its own stream, as under DP-SGD: a row's draw does not depend on the others.
    const streams = (row: number) => {
      const u = (row + 0.5) / 4;
      return { next: () => u, int: (n: number) => Math.floor(u * n) };
    };
    const drawn = fineTune.drawUnseenLevels(coded, layout, streams);
    expect(drawn.rowCount).toBe(4);
    const d = drawn.columns[1];
    expect(d.kind === 'categorical' && [...d.codes]).toEqual([1, 0, 1, 1]);
    // The numeric gap stays a gap, which TabDDPM's encoder fills with noise.
    expect(drawn.columns[0].kind === 'numeric' && [...drawn.columns[0].values]).toEqual([1, NaN, 3, 4]);
    expect(fineTune.holdsUnseen(drawn)).toBe(false);
    expect(fineTune.unseenDrawsPerRow(layout)).toBe(1);
  });
});
