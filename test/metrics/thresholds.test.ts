import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_THRESHOLDS, loadThresholdConfig, resolveThresholds } from '../../src/metrics/thresholds.js';
import { GesalpError } from '../../src/core/errors.js';

describe('resolveThresholds', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gesalp-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the SPEC defaults when nothing overrides them', () => {
    expect(resolveThresholds({ cwd: dir })).toEqual({
      ks_mean: 0.1,
      tvd_mean: 0.1,
      corr_delta: 0.1,
      dup_rate: 0.05,
      mia_auc: 0.6,
      ml_efficacy: 0.9,
      detection_auc: 0.75,
    });
    expect(DEFAULT_THRESHOLDS.mia_auc).toBe(0.6);
  });

  it('applies flags over --config over gesalp.config.json over defaults', () => {
    writeFileSync(
      join(dir, 'gesalp.config.json'),
      JSON.stringify({ thresholds: { ks_mean: 0.2, tvd_mean: 0.3, corr_delta: 0.4 } }),
    );
    writeFileSync(join(dir, 'ci.json'), JSON.stringify({ thresholds: { tvd_mean: 0.05, corr_delta: 0.06 } }));
    const t = resolveThresholds({ cwd: dir, configFile: join(dir, 'ci.json'), flags: ['corr_delta=0.07'] });
    expect(t).toMatchObject({ ks_mean: 0.2, tvd_mean: 0.05, corr_delta: 0.07, dup_rate: 0.05 });
  });

  it('drops a check set to off and adds thresholds for reported metrics', () => {
    expect(resolveThresholds({ cwd: dir, flags: ['mia_auc=off', 'dcr_median=0.1'] })).toEqual({
      ks_mean: 0.1,
      tvd_mean: 0.1,
      corr_delta: 0.1,
      dup_rate: 0.05,
      ml_efficacy: 0.9,
      detection_auc: 0.75,
      dcr_median: 0.1,
    });
  });

  it.each([
    [['ks_men=0.1'], /unknown metric 'ks_men'/],
    [['ks_mean'], /not name=value/],
    [['ks_mean=abc'], /not a number/],
  ])('rejects %j as a usage error', (flags, message) => {
    const error = (() => {
      try {
        resolveThresholds({ cwd: dir, flags });
      } catch (e) {
        return e as GesalpError;
      }
    })();
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toMatch(message);
  });

  it('rejects a config file that is not JSON', () => {
    writeFileSync(join(dir, 'bad.json'), '{ thresholds: ');
    expect(() => resolveThresholds({ cwd: dir, configFile: join(dir, 'bad.json') })).toThrow(/cannot read config/);
  });

  const refusal = (run: () => unknown): GesalpError | undefined => {
    try {
      run();
    } catch (e) {
      return e as GesalpError;
    }
    return undefined;
  };

  it.each([
    ['a JSON array', '[{"thresholds": {}}]', /is not a JSON object \(it holds an array\)/],
    ['null', 'null', /is not a JSON object \(it holds null\)/],
    ['an unknown key', '{"thresholds": {}, "checks": "off"}', /unknown key 'checks'/],
    ['a misspelt key', '{"threshold": {"ks_mean": 0.2}}', /unknown key 'threshold'/],
    [
      'a threshold as text',
      '{"thresholds": {"ks_mean": "0.2"}}',
      /threshold ks_mean is a string, not a number or "off"/,
    ],
    [
      'a threshold outside its range',
      '{"thresholds": {"mia_auc": 7}}',
      /mia_auc: 7 is outside the range of mia_auc \(0 to 1\)/,
    ],
    ['an overflowing threshold', '{"thresholds": {"ks_mean": 1e400}}', /ks_mean: 'Infinity' is not a number/],
  ])('refuses a config file holding %s, naming the problem (exit 2)', (_, text, message) => {
    writeFileSync(join(dir, 'c.json'), text);
    const error = refusal(() => resolveThresholds({ cwd: dir, configFile: join(dir, 'c.json') }));
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toMatch(message);
  });

  it('lists the valid keys when a config key is unknown', () => {
    writeFileSync(join(dir, 'gesalp.config.json'), '{"thresholdz": {}}');
    expect(refusal(() => resolveThresholds({ cwd: dir }))?.hint).toMatch(
      /Did you mean 'thresholds'\? Valid names: thresholds/,
    );
  });

  it.each([
    [['ks_mean=-3'], /ks_mean: -3 is outside the range of ks_mean \(0 to 1\)/],
    [['mia_auc=7'], /mia_auc: 7 is outside the range/],
    [['ks_mean=1e400'], /'1e400' is not a number/],
    [['ks_mean=0x10'], /'0x10' is not a number/],
    [['ks_mean=0.1', 'ks_mean=0.2'], /names ks_mean twice/],
  ])('refuses --threshold %j as a usage error', (flags, message) => {
    const error = refusal(() => resolveThresholds({ cwd: dir, flags }));
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toMatch(message);
  });

  it('names the config files it read, gesalp.config.json first, and none when there are none', () => {
    expect(loadThresholdConfig({ cwd: dir }).files).toEqual([]);
    writeFileSync(join(dir, 'gesalp.config.json'), JSON.stringify({ thresholds: { mia_auc: 'off' } }));
    writeFileSync(join(dir, 'ci.json'), JSON.stringify({ thresholds: { ks_mean: 0.2 } }));
    const config = loadThresholdConfig({ cwd: dir, configFile: join(dir, 'ci.json') });
    expect(config.files).toEqual([join(dir, 'gesalp.config.json'), join(dir, 'ci.json')]);
    expect(config.thresholds).toEqual({
      ks_mean: 0.2,
      tvd_mean: 0.1,
      corr_delta: 0.1,
      dup_rate: 0.05,
      ml_efficacy: 0.9,
      detection_auc: 0.75,
    });
  });
});
