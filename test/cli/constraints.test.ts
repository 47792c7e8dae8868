import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gesalp } from '../helpers/cli.js';

const PENGUINS = 'fixtures/penguins/penguins.csv';

describe("gesalp generate --schema with the metadata file's constraints", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-constraints-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const schema = (constraints: unknown) => {
    const path = join(dir, 'schema.json');
    writeFileSync(path, JSON.stringify({ columns: {}, constraints }));
    return path;
  };

  it('writes only rows that hold a range and an inequality, and reports what each cost', () => {
    const file = schema([
      { type: 'range', column: 'Body Mass (g)', min: 3000, max: 6000 },
      { type: 'inequality', low: 'Beak Depth (mm)', high: 'Flipper Length (mm)' },
    ]);
    const out = join(dir, 'p.csv');
    const run = gesalp([
      'generate',
      PENGUINS,
      '--schema',
      file,
      '--n-iter',
      '2',
      '--param',
      'num_timesteps=20',
      '--seed',
      '1',
      '-o',
      out,
    ]);
    expect(run.code === 0 ? '' : run.stderr).toBe('');
    expect(run.stderr).toMatch(/constraints: every written row holds the 2; [\d,]+ of [\d,]+ sampled rows broke one/);
    const [header, ...lines] = readFileSync(out, 'utf8').trim().split('\n');
    const names = header.split(',');
    const [mass, depth, flipper] = ['Body Mass (g)', 'Beak Depth (mm)', 'Flipper Length (mm)'].map((n) =>
      names.indexOf(n),
    );
    expect(lines).toHaveLength(344);
    const number = (cell: string) => (cell === '' || cell === 'NA' ? NaN : Number(cell));
    let checked = 0;
    for (const line of lines) {
      const cells = line.split(',');
      const [m, d, f] = [number(cells[mass]), number(cells[depth]), number(cells[flipper])];
      // A missing value holds a numeric constraint (as in SDV); every present one is checked.
      if (!Number.isNaN(m)) expect(m >= 3000 && m <= 6000).toBe(true);
      if (!Number.isNaN(d) && !Number.isNaN(f)) expect(d <= f).toBe(true);
      checked += Number.isNaN(m) ? 0 : 1;
    }
    // Two epochs learn little: many sampled masses are gaps, which hold; some are values, all in range.
    expect(checked).toBeGreaterThan(10);
    const report = JSON.parse(readFileSync(join(dir, 'p.report.json'), 'utf8'));
    expect(report.constraints.constraints.map((c: { rule: string }) => c.rule)).toEqual([
      '3000 <= Body Mass (g) <= 6000',
      'Beak Depth (mm) <= Flipper Length (mm)',
    ]);
    expect(report.constraints.rows_drawn).toBe(344 + report.constraints.rows_rejected + report.constraints.rows_unused);
  });

  it('refuses a constraint on a column the input lacks, before reading a row into a model (exit 3)', () => {
    const run = gesalp([
      'generate',
      PENGUINS,
      '--schema',
      schema([{ type: 'positive', column: 'Body Mass (kg)' }]),
      '-o',
      join(dir, 'q.csv'),
    ]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /schema\.json: "constraints\[0\]\.column" names 'Body Mass \(kg\)', which is not a column/,
    );
    expect(run.stderr).toMatch(/Did you mean 'Body Mass \(g\)'/);
  });
});
