import { afterAll, describe, expect, it } from '@jest/globals';
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
    [['--delta', '1e-5'], /--delta applies only to DP-SGD training/],
    [['--public-bounds', 'b.json'], /--public-bounds applies only to DP-SGD training/],
    [['--epsilon', '0'], /--epsilon.*expected a number > 0, got '0'/],
    [['--epsilon', '1', '--delta', '1'], /--delta.*expected a number in \(0, 1\)/],
    [['--epsilon', '1', '--preprocessing-fraction', '1'], /--preprocessing-fraction.*expected a number in \(0, 1\)/],
    [['--epsilon', '1', '--max-grad-norm', '-1'], /--max-grad-norm.*expected a number > 0/],
    [['--epsilon', '1', '--max-attempts', '3'], /3 DP attempts each spend their own epsilon[\s\S]*--total-epsilon/],
    [['--epsilon', '2', '--max-attempts', '3', '--total-epsilon', '1'], /--total-epsilon 1 is below the 2/],
    [['--epsilon', '1', '--grid', 'epsilon=1,2', '--total-epsilon', '3'], /--epsilon and --grid both set epsilon/],
    [['--epsilon', '1', '--load-model', 'm'], /--epsilon trains a new model/],
  ])('refuses %j with exit 2 and the fix', (args, message) => {
    const r = generate(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    // A bad value is named with the range it must lie in (the option parser's message); the rest say what to do.
    expect(r.stderr).toMatch(/To fix this:|expected a number/);
  });

  it('refuses a delta that is not below 1/n of the training rows, with the default as the fix', () => {
    const r = generate('--epsilon', '1', '--delta', '0.01');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--delta 0\.01 is not below 1\/n = 0\.00364 for 275 training rows/);
    expect(r.stderr).toMatch(/Give --delta 0\.000364 \(1\/\(10 n\), the default\) or smaller/);
  });

  it('refuses (exit 5) a grid that would spend more than --total-epsilon, before reading the input', () => {
    const r = gesalp(['generate', 'no-such-file.csv', '--grid', 'epsilon=1,2,5', '--total-epsilon', '5'], { cwd: dir });
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
    ['wrong kind', '{"columns": {"Island": {"min": 1, "max": 2}}}', /"columns\.Island\.min" is not a key here/],
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
