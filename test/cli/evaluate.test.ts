import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANSI, gesalp } from '../helpers/cli.js';

const TRAIN = 'fixtures/penguins/train.csv';
const HOLDOUT = 'fixtures/penguins/holdout.csv';
const BASELINE = 'fixtures/penguins/baseline-synthetic.csv';

describe('gesalp evaluate', () => {
  let dir: string;
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the metrics table on stdout and messages on stderr, exit 0 without --all-green', () => {
    const r = gesalp(['evaluate', TRAIN, BASELINE, '--holdout', HOLDOUT]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/corr_delta .*FAIL/);
    expect(r.stdout).toMatch(/mia_auc .*pass/);
    expect(r.stderr).toMatch(/read fixtures\/penguins\/train.csv: 275 rows x 7 columns/);
    expect(r.stdout + r.stderr).not.toMatch(ANSI);
  });

  it('exits 4 with --all-green when a check fails, naming it', () => {
    const r = gesalp(['evaluate', TRAIN, BASELINE, '--holdout', HOLDOUT, '--all-green']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/quality gate failed: corr_delta 0\.5\d* > 0\.1/);
  });

  it('exits 0 with --all-green when every check passes', () => {
    const r = gesalp([
      'evaluate',
      TRAIN,
      BASELINE,
      '--holdout',
      HOLDOUT,
      '--all-green',
      '--threshold',
      'corr_delta=0.6',
      // The column-resampling baseline is what detection exists to catch: relaxed here too.
      '--threshold',
      'detection_auc=off',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ALL GREEN/);
  });

  it('fails the gate when mia_auc cannot be evaluated without a holdout', () => {
    const r = gesalp(['evaluate', TRAIN, BASELINE, '--all-green', '--threshold', 'corr_delta=off']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/mia_auc \(not evaluated\)/);
    expect(r.stdout).toMatch(/needs holdout rows/);
  });

  it('writes the report to stdout for -o -, as one JSON document, and no file named -', () => {
    const r = gesalp(['evaluate', TRAIN, TRAIN, '-o', '-', '--holdout', HOLDOUT]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).report).toBe('evaluation');
    expect(existsSync('-')).toBe(false);
  });

  it('prints one JSON document and nothing else on stdout with --json', () => {
    const r = gesalp(['evaluate', TRAIN, TRAIN, '--json', '--holdout', HOLDOUT]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.metrics.ks_mean.value).toBe(0);
    expect(report.metrics.dup_rate.value).toBe(1);
    expect(report.schema.map((c: { kind: string }) => c.kind)).toEqual([
      'categorical',
      'categorical',
      'numeric',
      'numeric',
      'numeric',
      'numeric',
      'categorical',
    ]);
    expect(report.schema[0].reason).toBe('text values');
    expect(report.inputs.real).toMatchObject({
      rows: 275,
      columns: 7,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(Object.keys(report.per_column.ks)).toHaveLength(4);
    expect(report.checks.find((c: { metric: string }) => c.metric === 'dup_rate').status).toBe('fail');
  });

  it('writes the JSON report with -o and reads the real table from stdin with -', () => {
    const out = join(dir, 'report.json');
    const r = gesalp(['evaluate', '-', BASELINE, '-o', out, '-q'], { input: readFileSync(TRAIN, 'utf8') });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).inputs.real.path).toBe('stdin');
  });

  it('writes the HTML report with --html, atomically, and the figures behind it into the JSON report', () => {
    const html = join(dir, 'report.html');
    const json = join(dir, 'with-figures.json');
    const r = gesalp(['evaluate', TRAIN, BASELINE, '--holdout', HOLDOUT, '--html', html, '-o', json]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`html report: ${html}`);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).toContain('NOT ALL GREEN: corr_delta');
    expect(page.match(/<figure class="column"/g)).toHaveLength(7);
    // No temporary file left beside it.
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    const figures = JSON.parse(readFileSync(json, 'utf8')).figures;
    expect(figures.columns.map((c: { column: string }) => c.column)).toContain('Body Mass (g)');
    expect(Object.keys(figures)).toEqual([
      'columns',
      'columns_left_out',
      'associations',
      'pair_densities',
      'distances_to_train',
      'membership_roc',
      'duplicates',
    ]);
    expect(figures.associations.real).toHaveLength(7);
    expect(figures.distances_to_train.holdout_to_train).toHaveLength(figures.distances_to_train.edges.length - 1);
    expect(figures.membership_roc.fpr.length).toBe(figures.membership_roc.tpr.length);
  });

  it('limits the heatmaps to --heatmap-columns columns and says so', () => {
    const html = join(dir, 'narrow.html');
    const r = gesalp(['evaluate', TRAIN, BASELINE, '--heatmap-columns', '3', '--html', html, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).figures.associations).toMatchObject({ total_columns: 7, limited: true });
    expect(readFileSync(html, 'utf8')).toContain('The table has 7 columns; the heatmaps show the 3 whose');
  });

  it('refuses an --html path that is an input, or stdout, before any work (exit 2)', () => {
    const copy = file('real-copy.csv', readFileSync(TRAIN, 'utf8'));
    const clash = gesalp(['evaluate', copy, BASELINE, '--html', copy]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/--html .* is the same file as REAL/);
    expect(readFileSync(copy, 'utf8')).toBe(readFileSync(TRAIN, 'utf8'));
    const stdout = gesalp(['evaluate', TRAIN, BASELINE, '--html', '-']);
    expect(stdout.code).toBe(2);
    expect(stdout.stderr).toMatch(/Give --html a file name/);
    expect(existsSync('-')).toBe(false);
  });

  it('colours verdicts only when asked and never with NO_COLOR or --no-color', () => {
    const args = ['evaluate', TRAIN, BASELINE];
    expect(gesalp(args, { env: { FORCE_COLOR: '1' } }).stdout).toMatch(ANSI);
    expect(gesalp(args, { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout).not.toMatch(ANSI);
    expect(gesalp([...args, '--no-color'], { env: { FORCE_COLOR: '1' } }).stdout).not.toMatch(ANSI);
  });

  describe('bad input', () => {
    const header = 'a,b,c\n';
    const rows =
      Array.from({ length: 40 }, (_, i) => `${i}.5,${i % 3 === 0 ? 'x' : 'y'},${(i * 7) % 13}.25`).join('\n') + '\n';

    it.each([
      ['a missing file', () => [join(dir, 'nope.csv'), TRAIN], /no such file/],
      ['an empty file', () => [file('empty.csv', ''), TRAIN], /is empty/],
      ['a header without rows', () => [file('header.csv', header), TRAIN], /header but no rows/],
      [
        'a ragged row',
        () => [file('ragged.csv', `${header}1,x,2\n3,y\n`), TRAIN],
        /line 3 has 2 fields but the header has 3/,
      ],
      [
        'columns that differ',
        () => [file('r1.csv', header + rows), file('s1.csv', 'a,b,d\n1,x,2\n')],
        /lacks c and has extra d/,
      ],
      [
        'a word in a numeric column',
        () => [file('r2.csv', header + rows), file('s2.csv', `${header}1.5,x,oops\n`)],
        /column 'c', data row 1: 'oops' is not a number/,
      ],
      [
        'an infinite number',
        () => [file('r3.csv', `${header}${rows}Infinity,x,1\n`), file('s3.csv', header + rows)],
        /infinite number/,
      ],
    ])('exits 3 for %s with a hint and no stack trace', (_, paths, message) => {
      const r = gesalp(['evaluate', ...(paths as () => string[])()]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/To fix this: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });

    it('reads NaN as missing and evaluates', () => {
      const real = file('nan.csv', `${header}${rows}NaN,x,1\n`);
      const r = gesalp(['evaluate', real, real, '--json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).schema[0]).toMatchObject({ kind: 'numeric', missing: 1 });
    });

    it('leaves a column missing everywhere out of ks_mean with a warning', () => {
      const real = file('blank.csv', `${header}${rows.replace(/,(\d+)\.25$/gm, ',')}`);
      const r = gesalp(['evaluate', real, real, '--json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).per_column.ks.c).toBeNull();
      expect(r.stderr).toMatch(/'c' has no values in either table/);
    });

    it('handles a 10,000-category column in every metric', () => {
      const many = Array.from({ length: 10000 }, (_, i) => `id${i},${i % 7}.5`).join('\n');
      const real = file('ids.csv', `id,v\n${many}\n`);
      const r = gesalp(['evaluate', real, real, '--holdout', real, '--json']);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.schema[0]).toMatchObject({ kind: 'categorical', categories: 10000 });
      expect(report.metrics.tvd_mean.value).toBe(0);
      expect(report.metrics.dcr_median.value).toBe(0);
      expect(report.metrics.mia_auc.value).toBe(0.5);
    });

    it('exits 2 with a suggestion for an unknown flag or a bad value', () => {
      const unknown = gesalp(['evaluate', TRAIN, BASELINE, '--holdot', HOLDOUT]);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/Did you mean --holdout/);
      const bad = gesalp(['evaluate', TRAIN, BASELINE, '--privacy-sample', 'lots']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/expected a whole number/);
    });
  });
});
