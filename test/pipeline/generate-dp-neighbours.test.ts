/**
 * SPEC section 8 at the pipeline level: under DP, the same input with one crafted row added (a
 * fractional value in a whole-number column, a new category, an extreme value; first, in the middle,
 * last) changes nothing outside the mechanisms: not the released kinds and rounding, not the method,
 * not any other row's side of the split, not the condition check; and no artefact holds either
 * file's hash or exact row count. Attempts are judged on public rows only.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { tableToCsv } from '../../src/core/io/write-csv.js';
import { createRng } from '../../src/core/rng.js';
import { rowContents } from '../../src/core/row-digest.js';
import { holdoutFlags } from '../../src/core/split.js';
import { standardNormal } from '../../src/core/stats/random.js';
import type { Table } from '../../src/core/table.js';
import type { FitOptions, FitSummary } from '../../src/models/synthesizer.js';
import { generate } from '../../src/pipeline/generate.js';
import type { GenerateRequest } from '../../src/pipeline/generate-request.js';
import type { PrivacyRequest } from '../../src/pipeline/privacy-plan.js';
import { FakeSynthesizer } from '../helpers/fake-synthesizer.js';
import { requestDefaults } from '../helpers/generate-request.js';
import { categorical, numeric, table } from '../helpers/tables.js';

const ROWS = 1200;

/** x: whole numbers; y: fractions; c: three categories. */
function population(seed: number, rows = ROWS): Table {
  const rng = createRng(seed);
  const x = Array.from({ length: rows }, () => Math.round(3000 + 400 * standardNormal(rng)));
  const y = Array.from({ length: rows }, () => 20 + 2 * standardNormal(rng));
  const c = Array.from({ length: rows }, () => Math.floor(rng.next() * 3));
  return table(numeric('x', x), numeric('y', y), categorical('c', c, ['a', 'b', 'd']));
}

type Crafted = { x: number; y: number; c: string };
const CRAFTED: Record<string, Crafted> = {
  'a fractional value in the whole-number column': { x: 3750.5, y: 20, c: 'a' },
  'a new category': { x: 3000, y: 20, c: 'Secret Isle of Patient Zero' },
  'an extreme value': { x: 1e12, y: -1e9, c: 'b' },
};

/** D with one crafted row inserted at `at` (its new category, if any, becomes a level of c). */
function withRow(d: Table, row: Crafted, at: number): Table {
  const [x, y, c] = d.columns as unknown as [
    { values: Float64Array },
    { values: Float64Array },
    { codes: Int32Array; levels: string[] },
  ];
  const levels = c.levels.includes(row.c) ? c.levels : [...c.levels, row.c];
  const insert = <T>(values: ArrayLike<T>, value: T): T[] => {
    const out = Array.from(values);
    out.splice(at, 0, value);
    return out;
  };
  return table(
    numeric('x', insert(x.values, row.x)),
    numeric('y', insert(y.values, row.y)),
    categorical('c', insert(c.codes, levels.indexOf(row.c)), levels),
  );
}

/** A DP model that answers as DP-SGD would and remembers what it was given. */
class SeeingDpSynthesizer extends FakeSynthesizer {
  seen: { data: Table; options: FitOptions } | undefined;
  override async fit(data: Table, options: FitOptions): Promise<FitSummary> {
    this.seen = { data, options };
    const summary = await super.fit(data, options);
    const p = options.privacy!;
    const privacy = {
      targetEpsilon: p.epsilon,
      spentEpsilon: p.epsilon,
      delta: p.delta,
      noiseMultiplier: 1,
      sampleRate: 0.05,
      steps: 10,
      maxGradNorm: p.maxGradNorm,
    };
    this.training = { ...summary, privacy };
    return this.training;
  }
}

/** Learns nothing from its rows: what it samples depends on its parameters alone. */
class BlindDpSynthesizer extends SeeingDpSynthesizer {
  override async fit(_data: Table, options: FitOptions): Promise<FitSummary> {
    return super.fit(population(99, 300), options);
  }
}

const privacy = (over: Partial<PrivacyRequest> = {}): PrivacyRequest => ({
  // A large epsilon: one row is then a sure thing for a rule that reads it, and nothing for one that does not.
  epsilon: 200,
  totalEpsilon: 200,
  delta: 1e-6,
  maxGradNorm: 1,
  preprocessingFraction: 0.5,
  ...over,
});

function request(models: SeeingDpSynthesizer[], over: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    ...requestDefaults(),
    input: { path: 'real.csv', rows: ROWS, columns: 3, bytes: 1, sha256: 'f'.repeat(64) },
    schema: { columns: ['x', 'y', 'c'].map((name) => ({ name, kind: 'numeric', reason: 'as read' })) },
    overrides: [{ name: 'n_iter', value: 5, source: 'test' }],
    privacy: privacy(),
    create: async (_method, values) => {
      const model = new SeeingDpSynthesizer(values);
      models.push(model);
      return model;
    },
    ...over,
  };
}

const sha = (t: Table) => createHash('sha256').update(tableToCsv(t)).digest('hex');

describe('generate under DP with neighbouring inputs', () => {
  const d = population(5);
  for (const [what, row] of Object.entries(CRAFTED)) {
    for (const [where, at] of [
      ['first', 0],
      ['in the middle', ROWS >> 1],
      ['last', ROWS],
    ] as const) {
      it(`changes nothing outside the mechanisms for ${what}, placed ${where}`, async () => {
        const neighbour = withRow(d, row, at);
        const models: SeeingDpSynthesizer[] = [];
        const [a, b] = [
          await generate(d, request(models, { input: { ...request([]).input, sha256: sha(d) } })),
          await generate(neighbour, request(models, { input: { ...request([]).input, sha256: sha(neighbour) } })),
        ];
        // The released schema: kinds and whole-number rounding, decided by noisy counts, not by the row.
        const schema = (r: typeof a) => r.report.evaluation;
        expect(schema(a)).toBeNull();
        const kinds = (i: number) =>
          models[i].seen!.options.statistics!.map((s) => [s.kind, s.kind === 'numeric' ? s.step : 0]);
        expect(kinds(1)).toEqual(kinds(0));
        expect(kinds(0)).toEqual([
          ['numeric', 1],
          ['numeric', 0],
          ['categorical', 0],
        ]);
        // The new category is not released: the level lists agree.
        const levels = (i: number) =>
          models[i].seen!.options.statistics!.flatMap((s) => (s.kind === 'categorical' ? s.levels : []));
        expect(levels(1)).toEqual(levels(0));
        expect(a.report.method).toBe(b.report.method);
        // Every other row stays on its side of the split: the training rows of D+x are D's, and x if it trains.
        const trainA = new Set(rowContents(models[0].seen!.data));
        const trainB = rowContents(models[1].seen!.data);
        const craftedContent = rowContents(withRow(population(5, 0), row, 0))[0];
        expect(trainB.filter((r) => r !== craftedContent).sort()).toEqual([...trainA].sort());
        // No artefact holds either file's hash or exact row count.
        for (const result of [a, b]) {
          const text = JSON.stringify(result.report);
          expect(text).not.toContain(sha(d));
          expect(text).not.toContain(sha(neighbour));
          expect(result.report.input.sha256).toBeNull();
          expect(result.split).toMatchObject({ input_sha256: null, rows: null, train_rows: null, holdout_rows: null });
        }
      });
    }
  }

  it('refuses a condition on the crafted category exactly as on a value nobody holds', async () => {
    const neighbour = withRow(d, CRAFTED['a new category'], 0);
    const refusal = async (t: Table, value: string) =>
      generate(t, request([], { condition: { column: 'c', values: [value] } })).then(
        () => 'no refusal',
        (error: Error & { hint?: string }) => `${error.message} | ${error.hint}`,
      );
    const secret = 'Secret Isle of Patient Zero';
    const [onD, onNeighbour] = [await refusal(d, secret), await refusal(neighbour, secret)];
    expect(onNeighbour).toBe(onD);
    expect(onD).toMatch(/has no value 'Secret Isle of Patient Zero'/);
    expect(onD).not.toMatch(/Isle.*Isle/);
  });

  it('keeps the holdout membership of every row when a row is added (a keyed hash of its content)', () => {
    const before = holdoutFlags(rowContents(d), { seed: 3, fraction: 0.2 });
    const after = holdoutFlags(rowContents(withRow(d, CRAFTED['an extreme value'], 0)), { seed: 3, fraction: 0.2 });
    expect(Array.from(after.subarray(1))).toEqual(Array.from(before));
    const share = before.reduce((n, f) => n + f, 0) / before.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
  });
});

describe('attempts under DP', () => {
  it('refuses (exit 2) more than one attempt without public validation rows', async () => {
    await expect(
      generate(
        population(5),
        request([], { plan: { kind: 'retry', maxAttempts: 3 }, privacy: privacy({ totalEpsilon: 600 }) }),
      ),
    ).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/need public validation rows/) });
  });

  it('refuses (exit 2) public validation rows that are the input itself, on a noisy overlap count', async () => {
    const d = population(5);
    const validation = { table: d, path: 'copy.csv' };
    await expect(generate(d, request([], { privacy: privacy({ validation }) }))).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/copy\.csv overlap the input/),
    });
  });

  it('refuses a re-cased copy of the input too, and validation rows too few to check at the budget', async () => {
    const d = population(5);
    const upper = {
      ...d,
      columns: d.columns.map((c) =>
        c.kind === 'categorical' ? { ...c, levels: c.levels.map((l) => ` ${l.toUpperCase()} `) } : c,
      ),
    };
    await expect(
      generate(d, request([], { privacy: privacy({ validation: { table: upper, path: 'upper.csv' } }) })),
    ).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/upper\.csv overlap the input/),
    });
    const few = { table: population(12, 30), path: 'few.csv' };
    await expect(generate(d, request([], { privacy: privacy({ epsilon: 2, validation: few }) }))).rejects.toMatchObject(
      {
        exitCode: 2,
        message: expect.stringMatching(
          /too few to check that they are not the input's at this budget: 30 distinct rows/,
        ),
      },
    );
  });

  it('chooses among attempts on the public rows alone: wildly different private rows give the same attempts', async () => {
    const validation = { table: population(11, 400), path: 'public.csv' };
    const run = async (private_: Table) => {
      const models: SeeingDpSynthesizer[] = [];
      const result = await generate(
        private_,
        request(models, {
          plan: { kind: 'retry', maxAttempts: 3 },
          // As many rows each time: the default would follow the noisy row count, a mechanism's own randomness.
          rows: 500,
          privacy: privacy({ epsilon: 50, totalEpsilon: 150, validation }),
          create: async (_m, values) => new BlindDpSynthesizer(values),
        }),
      );
      return result.report.attempts.map((a) => ({ parameters: a.parameters, metrics: a.metrics, kept: a.kept }));
    };
    const shifted = population(6);
    for (const column of shifted.columns)
      if (column.kind === 'numeric') column.values.forEach((v, i, a) => (a[i] = v * 3 + 1000));
    const [a, b] = [await run(population(5)), await run(shifted)];
    expect(a.length).toBeGreaterThan(1);
    expect(b).toEqual(a);
  });
});

describe('the DP report with public validation rows read beside the private file', () => {
  // The CLI reads both files with one encoder, so their categorical columns share one level list,
  // which then holds every category of the private rows: nothing released may count or carry it.
  const sharing = (validation: Table, private_: Table): Table => ({
    ...validation,
    columns: validation.columns.map((c, i) => {
      const own = private_.columns[i];
      return c.kind === 'categorical' && own.kind === 'categorical' ? { ...c, levels: own.levels } : c;
    }),
  });

  it('is the same for the input with one crafted category added, everything else public', async () => {
    const d = population(5);
    const run = async (private_: Table) => {
      const validation = { table: sharing(population(11, 400), private_), path: 'public.csv' };
      const result = await generate(
        private_,
        request([], {
          rows: 500,
          privacy: privacy({ epsilon: 50, totalEpsilon: 50, validation }),
          create: async (_m, values) => new BlindDpSynthesizer(values),
        }),
      );
      const { schema, metrics } = result.report.evaluation!;
      return { schema, metrics };
    };
    const [a, b] = [await run(d), await run(withRow(d, CRAFTED['a new category'], 0))];
    expect(b).toEqual(a);
    expect(a.schema.find((c) => c.name === 'c')).toMatchObject({ categories: expect.any(Number) });
  });
});
