/** The terminal's evaluation table: the quality score first, and long messages wrapped inside their cell (issue 28 items 3 and 5). */
import { describe, expect, it } from '@jest/globals';
import { evaluateTables } from '../../../src/metrics/evaluate.js';
import { buildEvaluationReport } from '../../../src/metrics/evaluation-report.js';
import { renderEvaluation } from '../../../src/presentation/terminal/evaluation-table.js';
import { createStyle } from '../../../src/presentation/terminal/style.js';
import type { Check } from '../../../src/metrics/checks.js';
import { failingSpread } from '../../helpers/checks.js';
import { categorical, numeric, table } from '../../helpers/tables.js';

const FILE = { path: 'x.csv', rows: 60, columns: 2, bytes: 0, sha256: '' };

async function rendered(extraChecks: Check[] = []): Promise<string> {
  const real = table(
    numeric(
      'x',
      Array.from({ length: 60 }, (_, i) => i),
    ),
    categorical(
      'c',
      Array.from({ length: 60 }, (_, i) => i % 3),
      ['a', 'b', 'c'],
    ),
  );
  const evaluation = await evaluateTables(real, real, undefined, {
    thresholds: { ks_mean: 0.1 },
    backend: 'cpu',
    extraChecks,
  });
  const schema = {
    columns: [
      { name: 'x', kind: 'numeric' as const, reason: 'numbers' },
      { name: 'c', kind: 'categorical' as const, reason: 'text' },
    ],
  };
  const report = buildEvaluationReport(evaluation, {
    files: { real: FILE, synthetic: FILE, holdout: null },
    schema,
    real,
    thresholds: { ks_mean: 0.1 },
    backend: 'cpu',
    seed: 0,
    timings: {},
  });
  return renderEvaluation(report, createStyle(false));
}

describe('the terminal evaluation table', () => {
  it('opens with the quality score and labels the compliance share as checks passed', async () => {
    const text = await rendered();
    expect(text.split('\n')[0]).toBe('quality 100 / 100 (column shapes 100, pair trends 100; higher is better)');
    expect(text).toMatch(/ALL GREEN {2}checks passed 100%/);
  });

  it('wraps a long failing message inside its cell instead of widening the table', async () => {
    const message = `the sample is ${'far too narrow and repeats itself '.repeat(8)}`;
    const text = await rendered([failingSpread(message)]);
    expect(text).toContain('FAIL: the sample is far too');
    expect(Math.max(...text.split('\n').map((line) => line.length))).toBeLessThanOrEqual(110);
  });
});
