/** evaluate, analyze-failure and suggest against a hostile user (issue 14): each refusal with its exit code and message. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gesalp } from '../helpers/cli.js';

const KS_EXTREME = 'fixtures/optimizer/ks-extreme.report.json';

let dir: string;
const file = (name: string, text: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
/** A small table: 40 rows of a number, an integer and a category. */
const table = (shift = 0) =>
  `x,n,c\n${Array.from({ length: 40 }, (_, i) => `${(i * 1.37 + shift) % 17},${(i * 7) % 23},${'abc'[i % 3]}`).join('\n')}\n`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gesalp-hostile-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('evaluate refuses an output that is one of its inputs (item 10)', () => {
  it.each([
    ['REAL', (real: string) => ['-o', real]],
    ['SYNTHETIC', (_: string, synthetic: string) => ['-o', synthetic]],
    ['--holdout', (_: string, __: string, holdout: string) => ['--holdout', holdout, '-o', holdout]],
    ['--config', (_: string, __: string, ___: string, config: string) => ['--config', config, '-o', config]],
    ['REAL through a symlink', () => ['-o', join(dir, 'link-to-real.csv')]],
  ])('exit 2 before any work when -o is %s, leaving the file as it was', (role, extra) => {
    const real = file('r.csv', table());
    const synthetic = file('s.csv', table(0.5));
    const holdout = file('h.csv', table(0.25));
    const config = file('c.json', '{"thresholds": {"ks_mean": 0.2}}');
    rmSync(join(dir, 'link-to-real.csv'), { force: true });
    symlinkSync(real, join(dir, 'link-to-real.csv'));
    const before = [real, synthetic, holdout, config].map((p) => readFileSync(p, 'utf8'));
    const r = gesalp(['evaluate', real, synthetic, ...extra(real, synthetic, holdout, config)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`--out .* is the same file as ${role.split(' ')[0]}`));
    expect(r.stderr).not.toMatch(/^read /m);
    expect([real, synthetic, holdout, config].map((p) => readFileSync(p, 'utf8'))).toEqual(before);
  });

  it('exit 2 when -o is the gesalp.config.json the run reads from its working directory', () => {
    const cwd = join(dir, 'project');
    mkdirSync(cwd, { recursive: true });
    writeFileSync(join(cwd, 'gesalp.config.json'), '{"thresholds": {}}');
    const r = gesalp(['evaluate', file('r.csv', table()), file('s.csv', table(0.5)), '-o', 'gesalp.config.json'], {
      cwd,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is the same file as the config file/);
    expect(readFileSync(join(cwd, 'gesalp.config.json'), 'utf8')).toBe('{"thresholds": {}}');
  });
});

describe('analyze-failure and suggest validate the report they read (item 15)', () => {
  it.each([
    ['null', 'null', /r\.json holds null, not a gesalp report/],
    [
      'parameters that are not a list',
      JSON.stringify({ report: 'generation', method: 'ddpm', parameters: { n_iter: 3 } }),
      /r\.json: "parameters" is an object, not a list/,
    ],
    [
      'a metric value that is text',
      JSON.stringify({
        report: 'evaluation',
        inputs: { real: { rows: 100, columns: 3 } },
        metrics: { ks_mean: { value: 'abc' } },
      }),
      /r\.json: "metrics\.ks_mean\.value" is the text "abc", not a number/,
    ],
  ])('analyze-failure on %s: exit 3 naming the problem', (_, text, message) => {
    const r = gesalp(['analyze-failure', file('r.json', text)]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('suggest --previous on null: exit 3 naming the problem', () => {
    const r = gesalp(['suggest', '--previous', file('r.json', 'null')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/holds null, not a gesalp report/);
  });

  it('suggest with an epsilon no noise multiplier reaches: exit 2 saying what to change', () => {
    const accountant = ['--epsilon', '1e-9', '--sample-rate', '0.5', '--steps', '100000', '--delta', '1e-5'];
    const r = gesalp(['suggest', ...accountant]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no noise multiplier meets --epsilon 1e-9/);
    expect(r.stderr).toMatch(/Raise --epsilon/);
    const plan = gesalp(['suggest', '--rows', '100000', '--cols', '5', '--epsilon', '1e-9']);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toMatch(/epsilon 1e-9 cannot be met by DP-SGD/);
  });

  it('suggest refuses a delta of 0 (exit 2)', () => {
    const r = gesalp(['suggest', '--sample-rate', '0.04', '--noise-multiplier', '1', '--steps', '10', '--delta', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/expected a number in \(0, 1\), got '0'/);
  });
});

describe('non-finite values are refused (item 19)', () => {
  it('evaluate: 1e400 in REAL or SYNTHETIC is exit 3 naming file, column and data row', () => {
    const overflow = table().replace('\n2.74,', '\n1e400,');
    const real = gesalp(['evaluate', file('inf.csv', overflow), file('s.csv', table(0.5))]);
    expect(real.code).toBe(3);
    expect(real.stderr).toMatch(/inf\.csv: column 'x', data row 3: '1e400' is an infinite number/);
    const synthetic = gesalp(['evaluate', file('r.csv', table()), file('inf.csv', overflow)]);
    expect(synthetic.code).toBe(3);
    expect(synthetic.stderr).toMatch(/inf\.csv: column 'x', data row 3: '1e400' is an infinite number/);
  });

  it('flags and name=value pairs: 1e400, and literals Number() alone would take (0x10, empty), are exit 2', () => {
    const hex = gesalp(['analyze-failure', '--metrics', 'ks_mean=0.2', '--rows', '0x10', '--cols', '3']);
    expect(hex.code).toBe(2);
    expect(hex.stderr).toMatch(/expected a whole number >= 1, got '0x10'/);
    expect(
      gesalp(['analyze-failure', '--metrics', 'ks_mean=0.2', '--rows', '100', '--cols', '3', '--seed', '']).code,
    ).toBe(2);
    expect(gesalp(['analyze-failure', '--metrics', 'ks_mean=1e400', '--rows', '100', '--cols', '3']).code).toBe(2);
    expect(gesalp(['analyze-failure', '--metrics', 'ks_mean=0.2', '--rows', '1e400', '--cols', '3']).code).toBe(2);
    expect(gesalp(['evaluate', 'a.csv', 'b.csv', '--threshold', 'ks_mean=1e400']).code).toBe(2);
  });
});

describe('ranges and shapes (item 20)', () => {
  it('analyze-failure on a report with no evaluation says nothing was evaluated and never ALL GREEN', () => {
    const noEvaluation = file(
      'r.json',
      JSON.stringify({ report: 'evaluation', inputs: { real: { rows: 100, columns: 3 } } }),
    );
    const r = gesalp(['analyze-failure', noEvaluation]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/NOTHING EVALUATED: .*r\.json holds no metric value/);
    expect(r.stdout).not.toMatch(/ALL GREEN/);
    const json = JSON.parse(gesalp(['analyze-failure', noEvaluation, '--json']).stdout);
    expect(json).toMatchObject({ all_green: false, evaluated: false });
  });

  it('analyze-failure is not ALL GREEN while a check has no value', () => {
    const r = gesalp(['analyze-failure', '--metrics', 'ks_mean=0.05', '--rows', '100', '--cols', '3']);
    expect(r.stdout).toMatch(/NOT ALL GREEN: no evaluated check fails; not evaluated: tvd_mean, corr_delta/);
  });

  it.each([
    ['ks_mean=-3', /--metrics ks_mean: -3 is outside the range of ks_mean \(0 to 1\)/],
    ['mia_auc=7', /--metrics mia_auc: 7 is outside the range of mia_auc \(0 to 1\)/],
  ])('analyze-failure --metrics %s is exit 2', (metrics, message) => {
    const r = gesalp(['analyze-failure', '--metrics', metrics, '--rows', '100', '--cols', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('analyze-failure refuses --max-epsilon below --epsilon (exit 2)', () => {
    const r = gesalp([...['analyze-failure', KS_EXTREME], ...['--epsilon', '4', '--max-epsilon', '2']]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--max-epsilon 2 is below the run's --epsilon 4/);
  });

  it.each([
    ['a JSON array', '[]', /is not a JSON object \(it holds an array\)/],
    [
      'an unknown key',
      '{"thresholds": {}, "skip_checks": true}',
      /unknown key 'skip_checks'.*\n.*Valid names: thresholds/,
    ],
  ])('a config file holding %s is refused with exit 2', (_, text, message) => {
    const config = file('c.json', text);
    for (const args of [
      ['evaluate', file('r.csv', table()), file('s.csv', table(0.5)), '--config', config],
      ['analyze-failure', KS_EXTREME, '--config', config],
    ]) {
      const r = gesalp(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('messages (item 21)', () => {
  it('a UTF-16 input is named as such, with an iconv -f UTF-16 hint', () => {
    const utf16 = file('u16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(table(), 'utf16le')]));
    const r = gesalp(['evaluate', utf16, file('s.csv', table())]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/u16\.csv is UTF-16 text, not UTF-8/);
    expect(r.stderr).toMatch(/iconv -f UTF-16 -t UTF-8/);
    expect(r.stderr).not.toMatch(/latin1/);
  });

  it('evaluate names the config files it read and records them in the report', () => {
    const cwd = join(dir, 'with-config');
    mkdirSync(cwd, { recursive: true });
    writeFileSync(join(cwd, 'gesalp.config.json'), '{"thresholds": {"mia_auc": "off"}}');
    const extra = file('ci.json', '{"thresholds": {"ks_mean": 0.3}}');
    const r = gesalp(['evaluate', file('r.csv', table()), file('s.csv', table(0.5)), '--config', extra, '--json'], {
      cwd,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^config: thresholds from .*with-config\/gesalp\.config\.json$/m);
    expect(r.stderr).toMatch(/^config: thresholds from .*ci\.json$/m);
    const report = JSON.parse(r.stdout);
    expect(report.config_files).toEqual([join(cwd, 'gesalp.config.json'), extra]);
    expect(report.thresholds.mia_auc).toBeUndefined();
    const none = JSON.parse(gesalp(['evaluate', file('r.csv', table()), file('s.csv', table(0.5)), '--json']).stdout);
    expect(none.config_files).toEqual([]);
  });

  it('-q leaves stderr empty (no TensorFlow.js banner) and stdout without the summary tables, as generate -q does', () => {
    const args = ['evaluate', file('r.csv', table()), file('s.csv', table(0.5)), '--backend', 'cpu'];
    const loud = gesalp(args);
    expect(loud.stderr).toMatch(/^backend: cpu$/m);
    expect(loud.stderr).not.toMatch(/Hi, looks like you are running TensorFlow\.js/);
    const quiet = gesalp([...args, '-q']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toBe('');
    expect(JSON.parse(gesalp([...args, '-q', '--json']).stdout).report).toBe('evaluation');
  });

  it('-q silences analyze-failure and suggest messages, not their data', () => {
    const config = file('c.json', '{"thresholds": {"ks_mean": 0.2}}');
    const analysis = gesalp(['analyze-failure', KS_EXTREME, '--config', config, '-q']);
    expect(analysis.stderr).toBe('');
    expect(analysis.stdout).toMatch(/HIGH_KS/);
    const suggestion = gesalp(['suggest', '--previous', 'fixtures/optimizer/mia-only-short.report.json', '-q']);
    expect(suggestion.stderr).toBe('');
    expect(suggestion.stdout).toMatch(/n_iter/);
  });
});
