import { afterAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gesalp, ROOT } from '../helpers/cli.js';

const PENGUINS = join(ROOT, 'fixtures/penguins/penguins.csv');
const dir = mkdtempSync(join(tmpdir(), 'gesalp-dp-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const generate = (...args: string[]) => gesalp(['generate', PENGUINS, '--no-color', ...args], { cwd: dir });

describe('gesalp generate: DP flags', () => {
  it.each([
    [['--delta', '1e-5'], /--delta applies only to training under DP/],
    [['--public-bounds', 'b.json'], /--public-bounds applies only to training under DP/],
    [['--epsilon', '0'], /--epsilon.*expected a number > 0, got '0'/],
    [['--epsilon', '1', '--delta', '1'], /--delta.*expected a number in \(0, 1\)/],
    [['--epsilon', '1', '--preprocessing-fraction', '1'], /--preprocessing-fraction.*expected a number in \(0, 1\)/],
    [['--epsilon', '1', '--max-grad-norm', '-1'], /--max-grad-norm.*expected a number > 0/],
    [
      ['--epsilon', '1', '--max-attempts', '3'],
      /3 DP attempts need public rows to choose between them[\s\S]*--public-validation/,
    ],
    [
      ['--epsilon', '1', '--max-attempts', '3', '--public-validation', 'v.csv'],
      /3 DP attempts each spend their own epsilon[\s\S]*--total-epsilon/,
    ],
    [['--private-report'], /--private-report applies only under DP/],
    [['--epsilon', '1', '--validation-fraction', '0.1'], /--validation-fraction applies outside DP/],
    [['--epsilon', '1', '--grid', 'epsilon=1,2', '--total-epsilon', '3'], /--epsilon and --grid both set epsilon/],
    [['--epsilon', '1', '--load-model', 'm'], /--epsilon trains a new model/],
    [['--epsilon', '1', '--all-green'], /--all-green under --epsilon needs --public-validation/],
  ])('refuses %j with exit 2 and the fix', (args, message) => {
    const r = generate(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    // A bad value is named with the range it must lie in (the option parser's message); the rest say what to do.
    expect(r.stderr).toMatch(/To fix this:|expected a number/);
  });

  it('refuses a delta that is not below 1/n of the released count of training rows, with the default as the fix', () => {
    const r = generate('--epsilon', '1', '--delta', '0.5');
    expect(r.code).toBe(2);
    // n is private: the check reads the noisy count, and the message names only it.
    expect(r.stderr).toMatch(
      /delta 0\.5 is not below 1\/n = [0-9.e-]+ for the \d+ training rows the released count allows/,
    );
    expect(r.stderr).toMatch(/Give a delta of [0-9.e-]+ \(1\/\(10 n\), the default\) or smaller/);
    expect(r.stderr).not.toMatch(/\b275\b|\b344\b/);
  });

  it('refuses (exit 5) one attempt that alone would spend more than --total-epsilon', () => {
    const r = generate('--epsilon', '2', '--max-attempts', '3', '--total-epsilon', '1', '--public-validation', 'v.csv');
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/--total-epsilon 1 is below the 2 one attempt may spend/);
  });

  it('refuses (exit 5) a grid that would spend more than --total-epsilon, before reading the input', () => {
    const r = gesalp(
      [
        'generate',
        'no-such-file.csv',
        '--grid',
        'epsilon=1,2,5',
        '--total-epsilon',
        '5',
        '--public-validation',
        'v.csv',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/the grid's 3 DP attempts may spend epsilon 8 together, past --total-epsilon 5/);
  });

  it('documents the flags in --help', () => {
    const help = gesalp(['generate', '--help']).stdout;
    for (const flag of [
      '--epsilon',
      '--delta',
      '--max-grad-norm',
      '--total-epsilon',
      '--preprocessing-fraction',
      '--public-bounds',
      '--public-validation',
    ])
      expect(help).toContain(flag);
  });
});

describe('gesalp generate --public-bounds: hostile and malformed files (exit 3, the file and the key named)', () => {
  it.each([
    [
      'unknown column',
      '{"columns": {"Wingspan": {"min": 1, "max": 2}}}',
      /"columns\.Wingspan" is not a column of the input/,
    ],
    [
      'bounds on a declared category',
      '{"columns": {"Island": {"kind": "categorical", "min": 1, "max": 2}}}',
      /"columns\.Island\.kind" is "categorical", which takes "categories"/,
    ],
    [
      'min >= max',
      '{"columns": {"Body Mass (g)": {"min": 7000, "max": 2000}}}',
      /"columns\.Body Mass \(g\)\.min" is 7000, not below "max" 2000/,
    ],
    [
      'duplicate categories',
      '{"columns": {"Sex": {"categories": ["MALE", "MALE"]}}}',
      /"columns\.Sex\.categories\[1\]" repeats the category "MALE"/,
    ],
    ['not JSON', 'min=1', /is not JSON/],
    ['deeply nested', `${'['.repeat(100000)}${']'.repeat(100000)}`, /is not JSON|holds a list/],
  ])('%s', (_name, text, message) => {
    const path = file('bounds.json', text);
    const r = generate('--epsilon', '1', '--public-bounds', path);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(path);
    expect(r.stderr).toMatch(message);
  });

  it('refuses a huge file and a non-file without reading them whole', () => {
    const huge = file('huge.json', ' '.repeat(5 * 1024 * 1024));
    expect(generate('--epsilon', '1', '--public-bounds', huge).stderr).toMatch(/bytes, more than/);
    const r = generate('--epsilon', '1', '--public-bounds', '/dev/zero');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/is not a regular file/);
  });
});

describe('gesalp analyze-failure: a report with a privacy section', () => {
  it("reads the run's epsilon and maximum from it: high MIA under DP lowers epsilon", () => {
    const report = JSON.parse(readFileSync(join(ROOT, 'fixtures/optimizer/dp-mia.report.json'), 'utf8'));
    const path = file('dp.report.json', JSON.stringify({ ...report, privacy: { attempt_epsilon: 4, max_epsilon: 4 } }));
    const r = gesalp(['analyze-failure', path, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.dp).toEqual({ epsilon: 4, maxEpsilon: 4 });
    expect(out.changes).toContainEqual(
      expect.objectContaining({ param: 'epsilon', from: 4, to: 2, rule: 'dp-high-mia' }),
    );
  });

  it('refuses a privacy section whose maximum is below its epsilon (exit 3)', () => {
    const report = JSON.parse(readFileSync(join(ROOT, 'fixtures/optimizer/dp-mia.report.json'), 'utf8'));
    const path = file(
      'bad.report.json',
      JSON.stringify({ ...report, privacy: { attempt_epsilon: 4, max_epsilon: 2 } }),
    );
    const r = gesalp(['analyze-failure', path]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/"privacy\.max_epsilon"/);
  });
});

describe('gesalp generate under DP, end to end (SPEC section 8)', () => {
  const reviewed = () => {
    const draft = join(dir, 'penguins.schema.json');
    const made = gesalp(['schema', PENGUINS, '-o', draft]);
    expect(made.code).toBe(0);
    expect(readFileSync(draft, 'utf8')).toMatch(/"drafted_from_data": true/);
    // Unreviewed, the draft is refused where it would be declared public.
    const refused = generate('--epsilon', '2', '--schema', draft, '--n-iter', '2');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/is a draft read from the data[\s\S]*delete the "drafted_from_data" line/);
    // The review: the line removed (a person would also widen the bounds), the rest declared public.
    const text = readFileSync(draft, 'utf8').replace(/\n\s*"drafted_from_data": true,/, '');
    return file('penguins.reviewed.json', text);
  };

  it('releases only DP outputs by default, the private metrics on request, and carries the record into a saved model', () => {
    const schema = reviewed();
    const out = join(dir, 'dp.csv');
    const model = join(dir, 'dp-model');
    const r = generate(
      '--epsilon',
      '2',
      '--schema',
      schema,
      '--n-iter',
      '3',
      '-o',
      out,
      '--save-model',
      model,
      '--private-report',
    );
    expect(r.code).toBe(0);
    // The declared row count is public; the split's counts are not.
    expect(r.stderr).toMatch(/the counts are private under DP/);
    expect(r.stderr).toMatch(
      /private report: .*dp\.private-report\.json \(NOT COVERED BY THE DIFFERENTIAL PRIVACY GUARANTEE/,
    );
    const report = JSON.parse(readFileSync(join(dir, 'dp.report.json'), 'utf8'));
    const inputHash = createHash('sha256').update(readFileSync(PENGUINS)).digest('hex');
    expect(JSON.stringify(report)).not.toContain(inputHash);
    expect(report.input).toMatchObject({ sha256: null, bytes: null, rows: 344 });
    expect(report.split).toMatchObject({ input_sha256: null, rows: null, train_rows: null });
    expect(report.evaluation).toBeNull();
    expect(report.timings_s).toEqual({});
    expect(report.training).toMatchObject({ seconds: null, epoch_loss: [] });
    expect(report.privacy.unit).toMatch(/one row of the input file, added or removed/);
    // Everything declared public, the row count too; the draft declares bounds without quantiles, which
    // TabDDPM reads: preprocessing released only those, one noisy histogram per numeric column.
    expect(
      report.privacy.preprocessing.estimated.map((c: { column: string; how: string }) => [c.column, c.how]),
    ).toEqual(
      ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'].map((column) => [
        column,
        'noisy histogram inside the declared bounds: 32 quantiles',
      ]),
    );
    const secret = JSON.parse(readFileSync(join(dir, 'dp.private-report.json'), 'utf8'));
    expect(secret).toMatchObject({ report: 'private_evaluation', covered_by_privacy_guarantee: false });
    expect(secret.input.sha256).toBe(inputHash);
    expect(secret.evaluation.metrics.mia_auc.value).not.toBeNull();
    // The saved model: no input hash, no exact counts, no times, no loss; its DP record beside it.
    for (const name of ['model.json', 'split.json']) {
      const text = readFileSync(join(model, name), 'utf8');
      expect(text).not.toContain(inputHash);
    }
    expect(JSON.parse(readFileSync(join(model, 'split.json'), 'utf8'))).toMatchObject({ rows: null, train_rows: null });
    expect(JSON.parse(readFileSync(join(model, 'model.json'), 'utf8')).training).toMatchObject({
      seconds: 0,
      epochLoss: [],
    });
    // Sampling from it again is read as under DP: no exact count, as many rows as were released, nothing judged.
    const loaded = gesalp(['generate', PENGUINS, '--load-model', model, '-o', join(dir, 'more.csv')], { cwd: dir });
    expect(loaded.code).toBe(0);
    expect(loaded.stderr).toMatch(/under DP its row count is private/);
    expect(loaded.stderr).toMatch(/loaded a model trained 3 of 3 epochs/);
    const again = JSON.parse(readFileSync(join(dir, 'more.report.json'), 'utf8'));
    expect(again.privacy).toMatchObject({ total_epsilon: report.privacy.total_epsilon, unit: report.privacy.unit });
    expect(again.evaluation).toBeNull();
    expect(again.output.rows).toBe(report.privacy.input_rows);
    // No time under DP: the pace grows with the private row count.
    expect(r.stderr).not.toMatch(/steps\/s|estimated training time/);
    expect(report.attempts[0]).toMatchObject({ train_seconds: null, sample_seconds: null });
    // evaluate --split on a DP report says its figures are outside the guarantee.
    const evaluated = gesalp(['evaluate', PENGUINS, out, '--split', join(dir, 'dp.report.json')], { cwd: dir });
    expect(evaluated.stderr).toMatch(/report of a DP run[\s\S]*NOT covered by its differential privacy guarantee/);
    // A DP model folder without its record, or with an edited one, is refused (exit 3).
    const record = readFileSync(join(model, 'privacy.json'), 'utf8');
    writeFileSync(join(model, 'privacy.json'), record.replace(/"total_epsilon": [0-9.e-]+/, '"total_epsilon": 0.001'));
    const edited = gesalp(['generate', PENGUINS, '--load-model', model, '-n', '5', '-o', join(dir, 'x.csv')], {
      cwd: dir,
    });
    expect(edited.code).toBe(3);
    expect(edited.stderr).toMatch(/privacy\.json does not match the training record/);
    rmSync(join(model, 'privacy.json'));
    const bare = gesalp(['generate', PENGUINS, '--load-model', model, '-n', '5', '-o', join(dir, 'x.csv')], {
      cwd: dir,
    });
    expect(bare.code).toBe(3);
    expect(bare.stderr).toMatch(/trained under DP, but its privacy\.json is missing/);
  });

  it('takes --target by its name alone under DP: a target with one class is no error there', () => {
    const single = file(
      'adelie.csv',
      readFileSync(PENGUINS, 'utf8')
        .split('\n')
        .filter((l, i) => i === 0 || l.startsWith('Adelie'))
        .join('\n'),
    );
    const r = gesalp(
      ['generate', single, '--epsilon', '5', '--target', 'Species', '--n-iter', '1', '--param', 'num_timesteps=20'],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(gesalp(['generate', single, '--target', 'Species', '--n-iter', '1'], { cwd: dir }).code).toBe(3);
  });

  it('refuses public validation rows that are the input itself (exit 2), on a noisy count', () => {
    const r = generate(
      '--epsilon',
      '50',
      '--public-validation',
      PENGUINS,
      '--n-iter',
      '2',
      '--preprocessing-fraction',
      '0.5',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/overlap the input: a noisy count finds about \d+ of its 344 distinct rows/);
  });
});
