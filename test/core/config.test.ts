import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_THRESHOLDS, resolveThresholds } from '../../src/core/config.js';
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
});
