import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gesalp, TINY_TRAINING } from '../helpers/cli.js';

const PENGUINS = 'fixtures/penguins/penguins.csv';
const WEATHER = 'fixtures/seattle-weather/seattle-weather-2012.csv';
const TINY = TINY_TRAINING;
const NO_GATE = ['ks_mean', 'tvd_mean', 'corr_delta', 'dup_rate', 'mia_auc', 'detection_auc', 'ml_efficacy'].flatMap(
  (m) => ['--threshold', `${m}=off`],
);

type Row = Record<string, string>;
function parseCsv(text: string): Row[] {
  // The fixtures' values hold no quotes or commas, so a plain split reads them.
  const [header, ...lines] = text.trim().split('\n');
  const names = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i], v])));
}
const missingRate = (rows: Row[], column: string) =>
  rows.filter((r) => r[column] === '' || r[column] === 'NA').length / rows.length;

describe('gesalp generate --method ddpm', () => {
  let dir: string;
  let real: Row[];
  let synthetic: Row[];
  let report: Record<string, any>;
  let first: ReturnType<typeof gesalp>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-generate-'));
    first = gesalp([
      'generate',
      PENGUINS,
      '--seed',
      '7',
      ...TINY,
      ...NO_GATE,
      '-o',
      join(dir, 'p.csv'),
      '--save-model',
      join(dir, 'model'),
      '--target',
      'Species',
      '--html',
    ]);
    real = parseCsv(readFileSync(PENGUINS, 'utf8'));
    synthetic = parseCsv(readFileSync(join(dir, 'p.csv'), 'utf8'));
    report = JSON.parse(readFileSync(join(dir, 'p.report.json'), 'utf8'));
  }, 120000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('trains, samples as many rows as the input and writes rows and report', () => {
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/estimated training time/);
    expect(first.stderr).toMatch(/n_iter +│ 40 +│ --n-iter/);
    expect(first.stderr).toMatch(/warning: n_iter 40 is below 300/);
    expect(first.stdout).toMatch(/ks_mean/);
    expect(synthetic).toHaveLength(real.length);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes the HTML report beside the JSON report with --html alone: parameters, training, attempts', () => {
    const page = readFileSync(join(dir, 'p.report.html'), 'utf8');
    expect(first.stderr).toContain(`html report: ${join(dir, 'p.report.html')}`);
    expect([...page.matchAll(/<section id="([^"]+)">/g)].map((m) => m[1])).toEqual([
      'verdict',
      'metrics',
      'columns',
      'associations',
      'privacy',
      'learned',
      'parameters',
      'training',
      'attempts',
      'provenance',
    ]);
    expect(page).toMatch(/<td><code>n_iter<\/code><\/td><td>40<\/td><td>--n-iter<\/td>/);
    expect(page).toMatch(/<figure class="loss"><svg/);
    expect(page).toContain('Early-stop checkpoints');
    expect(page).toMatch(/<td>1 \(kept\)<\/td><td><\/td><td>starting parameters<\/td>/);
    expect(page).toContain(report.input.sha256);
    expect(page).not.toMatch(/https?:\/\/|<script/);
    expect(report.evaluation.figures.columns).toHaveLength(7);
  });

  it('keeps the schema: columns, category sets, integer columns and ranges of the training rows', () => {
    expect(Object.keys(synthetic[0])).toEqual(Object.keys(real[0]));
    for (const column of ['Species', 'Island', 'Sex']) {
      const seen = new Set(real.map((r) => r[column]));
      for (const row of synthetic) expect(seen.has(row[column]) || row[column] === '').toBe(true);
    }
    for (const column of ['Beak Length (mm)', 'Flipper Length (mm)', 'Body Mass (g)']) {
      const values = real.map((r) => Number(r[column])).filter((v) => Number.isFinite(v) && real.length);
      const [lo, hi] = [Math.min(...values), Math.max(...values)];
      for (const row of synthetic.filter((r) => r[column] !== '')) {
        const v = Number(row[column]);
        expect(v).toBeGreaterThanOrEqual(lo);
        expect(v).toBeLessThanOrEqual(hi);
      }
    }
    for (const row of synthetic.filter((r) => r['Body Mass (g)'] !== ''))
      expect(Number.isInteger(Number(row['Body Mass (g)']))).toBe(true);
    for (const row of synthetic.filter((r) => r['Beak Length (mm)'] !== ''))
      expect(row['Beak Length (mm)']).toMatch(/^\d+(\.\d)?$/);
  });

  it('brings missing values back near the real rate instead of imputing them away', () => {
    // Sex is missing in 11 of 344 rows; 5 binomial standard errors of 344 draws, plus the model's slack.
    expect(Math.abs(missingRate(synthetic, 'Sex') - missingRate(real, 'Sex'))).toBeLessThan(0.06);
  });

  it('adds ML efficacy with --target: models trained on training and on synthetic rows, scored on the holdout', () => {
    expect(report.evaluation.metrics.ml_efficacy.value).toEqual(expect.any(Number));
    expect(report.evaluation.ml_efficacy.real.macro_f1).toBeGreaterThan(0.8);
    expect(report.evaluation.ml_efficacy.synthetic.macro_f1).toEqual(expect.any(Number));
  });

  it('reports parameters with their sources, the split, timings, backend and metrics', () => {
    expect(report.report).toBe('generation');
    expect(report.parameters.find((p: any) => p.name === 'batch_size')).toEqual({
      name: 'batch_size',
      value: 32,
      source: '--batch-size',
    });
    expect(report.parameters.find((p: any) => p.name === 'lr').source).toBe('default');
    // A validation split (about a tenth) judges the early-stop checkpoints; the holdout judged nothing.
    expect(report.split).toMatchObject({
      seed: 7,
      fraction: 0.2,
      rows: 344,
      train_rows: 240,
      holdout_rows: 74,
      validation: { fraction: 0.1, rows: 30 },
    });
    expect(report.split.input_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.training).toMatchObject({ epochs_done: 40, epochs: 40, stopped: false, threads: 2 });
    expect(report.timings_s.train).toBeGreaterThan(0);
    expect(report.backend).toBe('fused');
    expect(typeof report.evaluation.metrics.mia_auc.value).toBe('number');
  });

  it('reproduces the same rows with the same seed, backend and threads', () => {
    const again = gesalp(['generate', PENGUINS, '--seed', '7', ...TINY, ...NO_GATE, '-o', join(dir, 'again.csv')]);
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, 'again.csv'), 'utf8')).toBe(readFileSync(join(dir, 'p.csv'), 'utf8'));
  }, 120000);

  it('lets evaluate --split rebuild the same training and holdout rows from the report', () => {
    const r = gesalp(['evaluate', PENGUINS, join(dir, 'p.csv'), '--split', join(dir, 'p.report.json'), '--json']);
    expect(r.code).toBe(0);
    const evaluation = JSON.parse(r.stdout);
    for (const metric of ['ks_mean', 'corr_delta', 'dcr_train_share', 'mia_auc']) {
      expect(evaluation.metrics[metric].value).toBe(report.evaluation.metrics[metric].value);
    }
    expect(evaluation.inputs.holdout.rows).toBe(74);
  });

  it("refuses --split with a file that is not the report's input", () => {
    const r = gesalp([
      'evaluate',
      'fixtures/penguins/train.csv',
      join(dir, 'p.csv'),
      '--split',
      join(dir, 'p.report.json'),
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/is not the file .* was generated from/);
  });

  it('samples more rows from a saved model without training', () => {
    const r = gesalp([
      'generate',
      PENGUINS,
      '--load-model',
      join(dir, 'model'),
      '-n',
      '50',
      '--seed',
      '3',
      ...NO_GATE,
      '-o',
      join(dir, 'more.csv'),
      '--json',
      `--html=${join(dir, 'loaded.html')}`,
    ]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'loaded.html'), 'utf8')).toContain('No training in this run');
    const loaded = JSON.parse(r.stdout);
    expect(loaded.model.loaded_from).toBe(join(dir, 'model'));
    expect(loaded.timings_s.train).toBeUndefined();
    expect(loaded.split).toEqual(report.split);
    expect(parseCsv(readFileSync(join(dir, 'more.csv'), 'utf8'))).toHaveLength(50);
  });

  it('saves the training edge shares with the model, so a loaded model still runs the spread check', () => {
    const saved = JSON.parse(readFileSync(join(dir, 'model', 'model.json'), 'utf8'));
    expect(saved.edge_shares).toHaveLength(saved.layout.numeric.length);
    for (const share of saved.edge_shares) expect(share).toBeLessThan(0.2);
  });

  it.each([
    ['a bound that is text', (m: any) => (m.layout.numeric[0].min = 'abc')],
    ['empty quantiles', (m: any) => (m.layout.numeric[0].quantiles = [])],
    ['a span past the columns', (m: any) => (m.layout.spans[0].column = 99)],
    ['a level code the column does not have', (m: any) => m.layout.spans[0].codes.push(42)],
  ])('refuses a saved model with %s (exit 3), instead of sampling empty columns', (_, damage) => {
    const broken = join(dir, `broken-${Math.random().toString(36).slice(2)}`);
    cpSync(join(dir, 'model'), broken, { recursive: true });
    const file = JSON.parse(readFileSync(join(broken, 'model.json'), 'utf8'));
    damage(file);
    writeFileSync(join(broken, 'model.json'), JSON.stringify(file));
    const r = gesalp(['generate', PENGUINS, '--load-model', broken, '-n', '5', '-o', join(dir, 'never.csv')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/model\.json is not a valid saved model: layout\./);
    expect(existsSync(join(dir, 'never.csv'))).toBe(false);
  });

  it('refuses a saved model whose weights are not finite (exit 3)', () => {
    const broken = join(dir, 'nan-model');
    cpSync(join(dir, 'model'), broken, { recursive: true });
    const size = readFileSync(join(broken, 'weights.bin')).byteLength;
    writeFileSync(join(broken, 'weights.bin'), Buffer.from(new Float32Array(size / 4).fill(NaN).buffer));
    const r = gesalp(['generate', PENGUINS, '--load-model', broken, '-n', '5', '-o', join(dir, 'nan.csv')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/weights\.bin holds weights that are not finite/);
  });

  it('refuses -n past what one run can hold (exit 2), before sampling', () => {
    const r = gesalp([
      'generate',
      PENGUINS,
      '--load-model',
      join(dir, 'model'),
      '-n',
      '1000000000',
      '-o',
      join(dir, 'huge.csv'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /sampling 1,000,000,000 rows of 7 columns is 7,000,000,000 cells; one run samples at most/,
    );
    expect(existsSync(join(dir, 'huge.csv'))).toBe(false);
  });

  it('prints nothing but the data with -q: no messages, no tfjs banner, no metrics table', () => {
    const r = gesalp([
      'generate',
      PENGUINS,
      '--load-model',
      join(dir, 'model'),
      '-n',
      '20',
      '-q',
      ...NO_GATE,
      '-o',
      join(dir, 'quiet.csv'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('');
  });

  it('round-trips dates at the granularity they were recorded at', () => {
    const out = join(dir, 'weather.csv');
    const r = gesalp(['generate', WEATHER, '--seed', '1', ...TINY, ...NO_GATE, '-o', out, '--holdout-fraction', '0']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/every row trains the model \(holdout fraction 0\)/);
    const rows = parseCsv(readFileSync(out, 'utf8'));
    for (const row of rows) {
      expect(row.date).toMatch(/^2012-\d\d-\d\d$/);
      expect(['drizzle', 'rain', 'sun', 'snow', 'fog']).toContain(row.weather);
    }
  }, 120000);
});

describe('gesalp generate: bad input', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-generate-bad-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [['--method', 'ddmp'], /unknown method 'ddmp'[\s\S]*Did you mean 'ddpm'/],
    [['--param', 'widht=64'], /unknown parameter 'widht'[\s\S]*Did you mean 'width'/],
    [['--param', 'width=abc'], /parameter width: 'abc' is not a whole number/],
    [['--n-iter', '0'], /parameter n_iter: 0 is outside 1\.\.100000/],
    [['--holdout-fraction', '1'], /expected a number in \[0, 1\)/],
    [['--target', 'Specie'], /--target Specie: no such column[\s\S]*Did you mean 'Species'/],
    // Under auto the method (and its space) is known only once the table is read: the grid's shape is checked first.
    [['--method', 'auto', '--grid', 'n_iter=100,200', '--grid', 'n_iter=300'], /--grid names n_iter twice/],
    [['--method', 'auto', '--grid', 'n_iter=,'], /--grid 'n_iter=,' lists no values for n_iter/],
    [['--method', 'auto', '--param', 'widht=64'], /unknown parameter 'widht'[\s\S]*Did you mean 'width'/],
    [
      ['--method', 'auto', '--epsilon', '1', '--max-grad-norm', '2'],
      /--max-grad-norm does not apply to method aim[\s\S]*--method ddpm, ctgan, tvae/,
    ],
  ])('exits 2 for %j and says why', (args, message) => {
    const r = gesalp(['generate', PENGUINS, ...args, '-o', join(dir, 'x.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(dir, 'x.csv'))).toBe(false);
  });

  it.each([
    ['-o naming the input', (copy: string) => ['-o', copy]],
    ['--report naming the input', (copy: string) => ['-o', join(dir, 'r.csv'), '--report', copy]],
    ['-o and --report naming one file', () => ['-o', join(dir, 'same.csv'), '--report', join(dir, '.', 'same.csv')]],
  ])('refuses %s with exit 2 before any work, leaving the input whole', (_, args) => {
    const copy = join(dir, 'input.csv');
    writeFileSync(copy, readFileSync(PENGUINS));
    const r = gesalp(['generate', copy, ...args(copy)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is the same file as/);
    expect(readFileSync(copy, 'utf8')).toBe(readFileSync(PENGUINS, 'utf8'));
  });

  it('caps --threads at the cores the machine has, and says so', () => {
    const r = gesalp([
      'generate',
      PENGUINS,
      '--threads',
      '1000',
      '--n-iter',
      '1',
      ...NO_GATE,
      '-o',
      join(dir, 't.csv'),
    ]);
    expect(r.stderr).toMatch(/--threads 1000: this machine has \d+ cores; training on \d+/);
  }, 60000);

  it('exits 3 for a table with a header and no rows, writing nothing', () => {
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, 'a,b\n');
    const r = gesalp(['generate', empty, '-o', join(dir, 'y.csv')]);
    expect(r.code).toBe(3);
    expect(existsSync(join(dir, 'y.csv'))).toBe(false);
  });

  it('reports an untrained model whose samples pile up at the edges as a failing check: exit 4 with --all-green, 0 without', () => {
    const untrained = (out: string, ...more: string[]) =>
      gesalp([
        'generate',
        PENGUINS,
        '--n-iter',
        '1',
        '--param',
        'lr=0.1',
        '--threads',
        '1',
        ...NO_GATE,
        ...more,
        '-o',
        join(dir, out),
      ]);
    const r = untrained('z.csv', '--all-green');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/pile up at the edges of their range/);
    const written = JSON.parse(readFileSync(join(dir, 'z.report.json'), 'utf8'));
    expect(written.violations.map((v: { metric: string }) => v.metric)).toContain('sample_spread');
    expect(written.evaluation.checks.find((c: any) => c.metric === 'sample_spread')).toMatchObject({ status: 'fail' });
    expect(written.attempts[0].samples_at_edges).toBe(true);
    // One exit rule (SPEC section 2): without --all-green the verdict is in the report and the exit is 0.
    const plain = untrained('z0.csv');
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(/the synthetic rows fail sample_spread[\s\S]*--all-green makes this exit 4/);
  }, 60000);
});

describe('flags other tools spell otherwise', () => {
  it("names gesalp's own flag for --epochs and --learning-rate (exit 2), which spelling suggestions cannot find", () => {
    const epochs = gesalp(['generate', 'x.csv', '--epochs', '5']);
    expect(epochs.code).toBe(2);
    expect(epochs.stderr).toMatch(/unknown option '--epochs'[\s\S]*gesalp calls it --n-iter \(training epochs\)/);
    expect(gesalp(['generate', 'x.csv', '--learning-rate=0.1']).stderr).toMatch(/gesalp calls it --lr/);
  });
});
