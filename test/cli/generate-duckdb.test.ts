/**
 * generate --engine duckdb on the command line: every flag the out-of-core path does not honour,
 * given, is a usage error (exit 2) that names the flag and says what to do; defaults never are. A
 * run writes the one generation report (the helper holds it to the shipped schema), its HTML page
 * and the verdict as the in-memory path does, with the in-memory path's split.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gesalp, ROOT } from '../helpers/cli.js';
import { writePenguinsBounds } from '../helpers/penguins-bounds.js';

const PENGUINS = join(ROOT, 'fixtures/penguins/penguins.csv');
const dir = mkdtempSync(join(tmpdir(), 'gesalp-duckdb-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const duckdb = (...args: string[]) =>
  gesalp(['generate', PENGUINS, '--method', 'aim', '--engine', 'duckdb', '-o', join(dir, 'out.csv'), ...args], {
    cwd: dir,
  });

describe('generate --engine duckdb refuses what it does not honour', () => {
  it.each([
    [['--max-attempts', '3'], '--max-attempts'],
    [['--condition', 'Species=Adelie'], '--condition'],
    [['--keep-id', 'Species'], '--keep-id'],
    [['--discrete', 'Sex'], '--discrete'],
    [['--save-model', join(dir, 'model')], '--save-model'],
    [['--search', 'bayes'], '--search'],
    [['--ensemble', '2'], '--ensemble'],
    [['--backend', 'wasm'], '--backend'],
    [['--threads', '1'], '--threads'],
    [['--table', 'penguins'], '--table'],
    [['--client', 'sqlite'], '--client'],
  ])('%j: exit 2 naming %s, nothing written', (args, flag) => {
    const r = duckdb(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(flag);
    expect(r.stderr).toMatch(/To fix this: (Drop|Use one)/);
    expect(existsSync(join(dir, 'out.csv'))).toBe(false);
  });

  it("a metadata file's constraints are refused, not ignored", () => {
    const schema = join(dir, 'constrained.json');
    writeFileSync(
      schema,
      JSON.stringify({ columns: {}, constraints: [{ type: 'positive', column: 'Body Mass (g)' }] }),
    );
    const r = duckdb('--schema', schema);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('constraints');
    expect(existsSync(join(dir, 'out.csv'))).toBe(false);
  });

  it('a method that trains on rows is refused with the method named', () => {
    const r = duckdb('--method', 'ctgan');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--method ctgan');
    expect(r.stderr).toContain('Use --method aim');
  });

  it('the engine-only flags without --engine duckdb are refused too', () => {
    const r = gesalp(['generate', PENGUINS, '--method', 'aim', '--privacy-sample', '100', '-o', join(dir, 'm.csv')], {
      cwd: dir,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--privacy-sample applies to --engine duckdb only');
  });
});

describe('generate --engine duckdb runs', () => {
  it('--json prints the generation report: one aim fit, the in-memory split, metrics on the side samples', () => {
    const r = duckdb('--seed', '3', '--json', '--html', '-o', join(dir, 'run.csv'));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const memory = gesalp(
      ['generate', PENGUINS, '--method', 'aim', '--seed', '3', '-o', join(dir, 'memory.csv'), '-q'],
      {
        cwd: dir,
      },
    );
    expect(memory.code).toBe(0);
    const inMemory = JSON.parse(readFileSync(join(dir, 'memory.report.json'), 'utf8'));
    expect(report).toMatchObject({
      report: 'generation',
      engine: 'duckdb',
      method: 'aim',
      optimizer: { mode: 'single', max_attempts: 1, kept_attempt: 1 },
      split: inMemory.split,
      input: { rows: 344, sha256: inMemory.input.sha256 },
      output: { path: join(dir, 'run.csv'), rows: 344 },
      evaluation_sample: {
        cap: 20000,
        train_rows: inMemory.split.train_rows,
        holdout_rows: inMemory.split.holdout_rows,
      },
      privacy: null,
    });
    expect(report.attempts).toHaveLength(1);
    expect(report.attempts[0]).toMatchObject({ attempt: 1, method: 'aim', kept: true });
    expect(report.evaluation.metrics.ks_mean.value).toBeLessThan(0.1);
    expect(report.all_green).toBe(report.evaluation.all_green);
    expect(readFileSync(join(dir, 'run.report.html'), 'utf8')).toContain('<html');
    expect(JSON.parse(readFileSync(join(dir, 'run.report.json'), 'utf8')).split).toEqual(inMemory.split);
  });

  it('--threshold and --all-green judge the samples: a check no run can pass exits 4, the report written', () => {
    const r = duckdb('--seed', '3', '--threshold', 'ks_mean=0.000001', '--all-green', '-o', join(dir, 'gate.csv'));
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('ks_mean');
    const report = JSON.parse(readFileSync(join(dir, 'gate.report.json'), 'utf8'));
    expect(report.evaluation.thresholds.ks_mean).toBe(0.000001);
    expect(report.all_green).toBe(false);
  });
});

describe('generate --engine duckdb on a hostile file', () => {
  // A BOM, ';' between fields, quoted cells holding ';', a newline and doubled quotes, SQL keywords
  // and a double quote in the column names, in a folder whose name holds a single quote.
  const folder = join(dir, "it's here");
  mkdirSync(folder, { recursive: true });
  const HOSTILE = join(folder, 'rows.csv');
  const lines = Array.from({ length: 150 }, (_, i) => {
    const note = ['a; b', 'two\nlines', 'say ""hi""', 'plain'][i % 4];
    return `${i % 9};"${note}";${['Oslo', 'Lima', 'Pune'][i % 3]};${(i % 17) + 0.5}`;
  });
  writeFileSync(HOSTILE, `\ufeffselect;order;"we""ird";amount\n${lines.join('\n')}\n`);

  it('gives the split the in-memory path gives, and says how it read the file', () => {
    const args = ['generate', HOSTILE, '--method', 'aim', '--seed', '5', '--json'];
    const r = gesalp([...args, '--engine', 'duckdb', '-o', join(folder, 'duck.csv')], { cwd: folder });
    expect(r.code).toBe(0);
    const memory = gesalp([...args, '-o', join(folder, 'memory.csv')], { cwd: folder });
    expect(memory.code).toBe(0);
    const [duck, mem] = [JSON.parse(r.stdout), JSON.parse(memory.stdout)];
    expect(duck.split).toEqual(mem.split);
    expect(duck.split.holdout_rows).toBeGreaterThan(10);
    expect(duck.input.dialect).toMatchObject({ delimiter: ';', quote: '"', decimal: '.', bom: true });
    expect(readFileSync(join(folder, 'duck.csv'), 'utf8').split('\n')[0]).toBe('select,order,"we""ird",amount');
    expect(r.stderr).toContain("delimiter ';'");
  });

  it.each([
    [['--decimal', ','], '--decimal'],
    [['--encoding', 'latin1'], '--encoding'],
  ])('%j is refused (exit 2)', (args, flag) => {
    const r = gesalp(['generate', HOSTILE, '--method', 'aim', '--engine', 'duckdb', ...args], { cwd: folder });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(flag);
  });

  it('a file with decimal commas is refused (exit 2), not split apart from the in-memory reader', () => {
    const comma = join(folder, 'comma.csv');
    writeFileSync(comma, `a;b\n${Array.from({ length: 40 }, (_, i) => `${i},5;x${i % 3}`).join('\n')}\n`);
    const r = gesalp(['generate', comma, '--method', 'aim', '--engine', 'duckdb', '-o', join(folder, 'c.csv')], {
      cwd: folder,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('decimal comma');
    expect(existsSync(join(folder, 'c.csv'))).toBe(false);
  });
});

describe('generate --engine duckdb on inputs it cannot read', () => {
  const run = (input: string) =>
    gesalp(['generate', input, '--method', 'aim', '--engine', 'duckdb', '-o', join(dir, 'bad.csv')], { cwd: dir });

  it('names a missing file, a folder and a workbook as the in-memory reader does (exit 3), writing nothing', () => {
    const workbook = join(dir, 'book.xlsx');
    writeFileSync(workbook, Buffer.from('PK\x03\x04[Content_Types].xml', 'latin1'));
    const cases: [string, string][] = [
      [join(dir, 'missing.csv'), 'no such file'],
      [join(dir, 'missing.parquet'), 'no such file'],
      [dir, 'is a directory'],
      [workbook, 'is an Excel workbook (.xlsx), not a CSV text file'],
    ];
    for (const [input, said] of cases) {
      const r = run(input);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(said);
      expect(r.stderr).not.toContain('internal error');
    }
    expect(existsSync(join(dir, 'bad.csv'))).toBe(false);
  });
});

describe('generate --engine duckdb under DP', () => {
  // Every column declared public, the row count too: nothing about the rows is released but aim's measurements.
  const declared = join(dir, 'declared.json');
  const bounds = JSON.parse(readFileSync(writePenguinsBounds(dir), 'utf8'));
  bounds.columns.Sex = { categories: ['FEMALE', 'MALE'] };
  writeFileSync(declared, JSON.stringify({ rows: 344, ...bounds }));
  const dp = (...args: string[]) =>
    duckdb('--seed', '3', '--epsilon', '5', '--public-bounds', declared, '-o', join(dir, 'dp.csv'), ...args);

  it('sets the default delta to 1/(10 n) of the training rows, as generate FILE does in memory', () => {
    const r = dp('--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const trainRows = Math.round(344 * 0.8);
    expect(report.privacy).toMatchObject({
      training_rows: trainRows,
      input_rows: 344,
      delta: 1 / (10 * trainRows),
      total_delta: 1 / (10 * trainRows),
      total_epsilon: 5,
    });
    expect(report.privacy.preprocessing.estimated).toEqual([]);
    expect(report).toMatchObject({
      input: { rows: 344, bytes: null, sha256: null },
      split: { input_sha256: null, rows: null, train_rows: null, holdout_rows: null },
      output: { rows: 344 },
      evaluation: null,
      evaluation_sample: null,
      timings_s: {},
    });
  });

  it('--private-report writes the metrics on the samples, with the exact split, to their own file only', () => {
    const r = dp('--private-report', join(dir, 'private.json'));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('NOT COVERED BY THE DIFFERENTIAL PRIVACY GUARANTEE');
    const inMemory = gesalp(
      ['generate', PENGUINS, '--method', 'aim', '--seed', '3', '-o', join(dir, 'exact.csv'), '-q'],
      {
        cwd: dir,
      },
    );
    expect(inMemory.code).toBe(0);
    const exactSplit = JSON.parse(readFileSync(join(dir, 'exact.report.json'), 'utf8')).split;
    const privateReport = JSON.parse(readFileSync(join(dir, 'private.json'), 'utf8'));
    expect(privateReport).toMatchObject({ report: 'private_evaluation', covered_by_privacy_guarantee: false });
    expect(privateReport.split).toEqual(exactSplit);
    expect(privateReport.evaluation.inputs.real.rows).toBe(exactSplit.train_rows);
    const published = readFileSync(join(dir, 'dp.report.json'), 'utf8');
    expect(published).not.toContain(exactSplit.input_sha256);
    expect(JSON.parse(published)).toMatchObject({ evaluation: null, split: { rows: null } });
  });

  it('--private-report without --epsilon is refused (exit 2)', () => {
    const r = duckdb('--private-report');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--private-report applies only under DP');
  });

  it('refuses a delta not below 1/n (exit 2)', () => {
    const r = dp('--delta', '0.01');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not below 1/n');
  });
});

describe('generate --engine duckdb sets identifiers aside', () => {
  const PEOPLE = join(dir, 'people.csv');
  const people = Array.from(
    { length: 300 },
    (_, i) => `${1000 + i},user${i}@example.org,${['Oslo', 'Lima'][i % 2]},${(i * 37) % 101}`,
  );
  writeFileSync(PEOPLE, `customer_id,contact,city,amount\n${people.join('\n')}\n`);
  const run = (name: string, ...args: string[]) =>
    gesalp(['generate', PEOPLE, '--method', 'aim', '--seed', '2', '--json', '-o', join(dir, `${name}.csv`), ...args], {
      cwd: dir,
    });

  it('detected from a sample of the values, as generate finds them in memory, and splits as it does', () => {
    const [duck, memory] = [run('people-duck', '--engine', 'duckdb'), run('people-memory')];
    expect([duck.code, memory.code]).toEqual([0, 0]);
    const [d, m] = [JSON.parse(duck.stdout), JSON.parse(memory.stdout)];
    expect(d.identifiers).toEqual(m.identifiers);
    expect(d.identifiers.map((r: { column: string }) => r.column)).toEqual(['customer_id', 'contact']);
    expect(d.split).toEqual(m.split);
    expect(readFileSync(join(dir, 'people-duck.csv'), 'utf8').split('\n')[0]).toBe('city,amount');
    expect(duck.stderr).toContain("column 'contact' holds personal data");
  });

  it('--no-id-detection learns them, and says so', () => {
    const r = run('people-all', '--engine', 'duckdb', '--no-id-detection');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).identifiers).toEqual([]);
    expect(r.stderr).toContain('identifier detection is off');
  });
});
