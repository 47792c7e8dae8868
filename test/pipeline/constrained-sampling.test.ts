import { describe, expect, it } from '@jest/globals';
import { createRng } from '../../src/core/rng.js';
import { parseMetadata } from '../../src/core/schema/metadata.js';
import { standardNormal } from '../../src/core/stats/random.js';
import type { CategoricalColumn, NumericColumn, Table } from '../../src/core/table.js';
import { generate } from '../../src/pipeline/generate.js';
import type { GenerateRequest } from '../../src/pipeline/generate-request.js';
import { FakeSynthesizer } from '../helpers/fake-synthesizer.js';
import { requestDefaults } from '../helpers/generate-request.js';
import { categorical, numeric, table } from '../helpers/tables.js';

const ROWS = 300;

/** x ~ N(50, 10), y ~ N(0, 3), and d fixed by c (a-p, b-q): the fake model samples each column apart. */
function realTable(): Table {
  const rng = createRng(7);
  const x = Array.from({ length: ROWS }, () => 50 + 10 * standardNormal(rng));
  const y = Array.from({ length: ROWS }, () => 3 * standardNormal(rng));
  const c = Array.from({ length: ROWS }, () => (rng.next() < 0.4 ? 0 : 1));
  return table(numeric('x', x), numeric('y', y), categorical('c', c, ['a', 'b']), categorical('d', c, ['p', 'q']));
}

let created = 0;
const metadata = (constraints: unknown) => parseMetadata(JSON.stringify({ columns: {}, constraints }), 'm.json');

function request(overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    ...requestDefaults(),
    input: { path: 'real.csv', rows: ROWS, columns: 4, bytes: 1, sha256: 'f'.repeat(64) },
    schema: {
      columns: ['x', 'y', 'c', 'd'].map((name) => ({
        name,
        kind: name === 'c' || name === 'd' ? 'categorical' : 'numeric',
        reason: 'test',
      })),
    },
    rows: ROWS,
    // Trained long enough that the fake samples without a shift.
    overrides: [{ name: 'n_iter', value: 300, source: 'test' }],
    create: async (_method, values) => {
      created++;
      return new FakeSynthesizer(values);
    },
    ...overrides,
  };
}

const numbers = (t: Table, name: string) => (t.columns.find((c) => c.name === name) as NumericColumn).values;
const labels = (t: Table, name: string) => {
  const column = t.columns.find((c) => c.name === name) as CategoricalColumn;
  return Array.from(column.codes, (code) => column.levels[code]);
};

describe("generate under the metadata file's constraints (with the fake synthesizer)", () => {
  it('drops the sampled rows that break a constraint, draws more, and reports what each cost', async () => {
    const constraints = [
      { type: 'positive', column: 'y' },
      { type: 'range', column: 'x', min: 40 },
      { type: 'fixed_combinations', columns: ['c', 'd'] },
    ];
    const infos: string[] = [];
    const result = await generate(realTable(), request({ metadata: metadata(constraints) }), {
      info: (t) => infos.push(t),
    });
    const out = result.synthetic;
    expect(out.rowCount).toBe(ROWS);
    const [x, y, c, d] = [numbers(out, 'x'), numbers(out, 'y'), labels(out, 'c'), labels(out, 'd')];
    for (let r = 0; r < ROWS; r++) {
      expect(y[r]).toBeGreaterThanOrEqual(0);
      expect(x[r]).toBeGreaterThanOrEqual(40);
      expect(`${c[r]}-${d[r]}`).toMatch(/^(a-p|b-q)$/);
    }
    // The raw samples broke each: about half of y is negative, a sixth of x below 40, half the pairs unseen.
    const record = result.report.constraints!;
    expect(record.constraints.map((k) => k.rule)).toEqual(['y >= 0', '40 <= x', 'fixed combinations of c, d']);
    const [positive, range, fixed] = record.constraints;
    expect(positive.held_share).toBeGreaterThan(0.4);
    expect(positive.held_share).toBeLessThan(0.6);
    expect(range.held_share).toBeGreaterThan(0.75);
    expect(range.held_share).toBeLessThan(0.92);
    expect(fixed).toMatchObject({ combinations: 2, combinations_from: 'training rows' });
    expect(fixed.held_share).toBeLessThan(0.6);
    for (const k of record.constraints) expect(k.rows_broken).toBe(Math.round(record.rows_drawn * (1 - k.held_share)));
    expect(record.rows_rejected).toBeGreaterThan(ROWS);
    expect(record.rows_drawn).toBe(ROWS + record.rows_rejected + record.rows_unused);
    expect(result.report.output.rows).toBe(ROWS);
    expect(infos.find((t) => t.startsWith('constraints:'))).toMatch(
      /^constraints: every written row holds the 3; [\d,]+ of [\d,]+ sampled rows broke one and were dropped \(y >= 0: \d+\.\d % held; /,
    );
  });

  it('leaves the rows of a run whose rows all hold as the run without constraints wrote them', async () => {
    const plain = await generate(realTable(), request());
    expect(plain.report.constraints).toBeNull();
    const held = await generate(
      realTable(),
      request({ metadata: metadata([{ type: 'range', column: 'x', min: -1e9 }]) }),
    );
    expect(held.csv).toBe(plain.csv);
    expect(held.report.constraints).toMatchObject({ rows_drawn: ROWS, rows_rejected: 0, rows_unused: 0 });
  });

  it('gives up past 50 times the rows asked for, naming the constraint and the share that held it (exit 2)', async () => {
    const run = generate(
      realTable(),
      request({
        rows: 100,
        metadata: metadata([
          { type: 'inequality', low: 'y', high: 'x', strict: true },
          { type: 'range', column: 'x', min: 200 },
        ]),
      }),
    );
    await expect(run).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(
        /^constraint 200 <= x \(m\.json "constraints\[1\]"\) held in 0\.0 % of 5,?000 sampled rows, and every constraint together in 0\.0 %; sampling stops after 50 times/,
      ),
      hint: expect.stringMatching(/train the model longer/),
    });
  });

  it('under DP refuses fixed combinations read from the rows, before training (exit 2)', async () => {
    created = 0;
    const privacy = { epsilon: 5, totalEpsilon: 5, delta: 1e-5, maxGradNorm: 1, preprocessingFraction: 0.1 };
    const fixed = { type: 'fixed_combinations', columns: ['c', 'd'] };
    await expect(generate(realTable(), request({ privacy, metadata: metadata([fixed]) }))).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/under DP the fixed combinations of c, d cannot be read from the private rows/),
      hint: expect.stringMatching(/"combinations": \[\["Paris", "France"\]/),
    });
    expect(created).toBe(0);
  });
});
