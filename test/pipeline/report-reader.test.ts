import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GesalpError } from '../../src/core/errors.js';
import { parseReportDocument } from '../../src/pipeline/report-reader.js';

const fixture = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../fixtures/optimizer/ks-extreme.report.json', import.meta.url)), 'utf8'),
);

const refusal = (doc: unknown): GesalpError | undefined => {
  try {
    parseReportDocument(doc, 'run.json');
  } catch (e) {
    return e as GesalpError;
  }
  return undefined;
};

/** The fixture with one field replaced, at a dotted path. */
function edited(path: string, value: unknown): unknown {
  const doc = structuredClone(fixture);
  const keys = path.split('.');
  let at = doc;
  for (const key of keys.slice(0, -1)) at = at[key];
  at[keys[keys.length - 1]] = value;
  return doc;
}

describe('parseReportDocument', () => {
  it('reads a DP report, whose exact counts and times are null: the released count stands in', () => {
    const doc = edited('split.train_rows', null) as Record<string, any>;
    doc.training.seconds = null;
    doc.privacy = { training_rows: 25000, attempt_epsilon: 1, max_epsilon: 5 };
    const view = parseReportDocument(doc, 'dp.json');
    expect(view).toMatchObject({ trainRows: 25000, training: { seconds: null, stopped: false } });
  });

  it('gives the typed view of a generation report', () => {
    const view = parseReportDocument(fixture, 'run.json');
    expect(view).toMatchObject({
      file: 'run.json',
      kind: 'generation',
      method: 'ddpm',
      trainRows: 26049,
      columns: 15,
      training: { seconds: 600, stopped: false },
    });
    expect(view.parameters).toContainEqual({ name: 'n_iter', value: 300 });
    expect(view.evaluation?.metrics).toEqual({
      ks_mean: 0.73,
      tvd_mean: 0.03,
      corr_delta: 0.04,
      dup_rate: 0,
      mia_auc: 0.52,
    });
    expect(view.evaluation?.thresholds).toMatchObject({ ks_mean: 0.1, mia_auc: 0.6 });
  });

  it('reads an evaluation report as its own evaluation, with its size and the metrics that did not apply', () => {
    const view = parseReportDocument(
      {
        report: 'evaluation',
        inputs: { real: { rows: 100, columns: 3 } },
        metrics: { ks_mean: { value: 0.2, status: 'ok' }, tvd_mean: { value: null, status: 'not_applicable' } },
      },
      'e.json',
    );
    expect(view.evaluation).toMatchObject({
      metrics: { ks_mean: 0.2, tvd_mean: null },
      notApplicable: ['tvd_mean'],
      realRows: 100,
      realColumns: 3,
    });
  });

  it('has no evaluation for a generation report without one', () => {
    expect(parseReportDocument(edited('evaluation', null), 'run.json').evaluation).toBeNull();
  });

  it.each([
    ['null', null, 'run.json holds null, not a gesalp report (a JSON object with "report")'],
    ['a list', [fixture], 'run.json holds a list, not a gesalp report (a JSON object with "report")'],
    [
      'no report kind',
      { method: 'ddpm' },
      'run.json is not a gesalp report (no "report": "generation" or "evaluation")',
    ],
    [
      'parameters that are not a list',
      edited('parameters', { n_iter: 3 }),
      'run.json: "parameters" is an object, not a list',
    ],
    [
      'a parameter without a value',
      edited('parameters', [{ name: 'n_iter' }]),
      'run.json: "parameters[0].value" is missing',
    ],
    [
      'a parameter value as text',
      edited('parameters', [{ name: 'n_iter', value: '300' }]),
      'run.json: "parameters[0].value" is the text "300", not a number',
    ],
    [
      'a metric value as text',
      edited('evaluation.metrics.ks_mean.value', 'abc'),
      'run.json: "evaluation.metrics.ks_mean.value" is the text "abc", not a number',
    ],
    [
      'a metric outside its range',
      edited('evaluation.metrics.mia_auc.value', 7),
      'run.json: "evaluation.metrics.mia_auc.value" is outside the range of mia_auc (0 to 1): 7',
    ],
    [
      'a metric that is not an object',
      edited('evaluation.metrics.ks_mean', 0.2),
      'run.json: "evaluation.metrics.ks_mean" is number 0.2, not an object',
    ],
    [
      'a threshold that is null',
      edited('evaluation.thresholds.ks_mean', null),
      'run.json: "evaluation.thresholds.ks_mean" is null, not a number',
    ],
    [
      'train rows that are not a count',
      edited('split.train_rows', -5),
      'run.json: "split.train_rows" is -5, not a whole number >= 1',
    ],
    ['a method that is not text', edited('method', 3), 'run.json: "method" is number 3, not a string'],
    [
      'training stopped as text',
      edited('training.stopped', 'no'),
      'run.json: "training.stopped" is the text "no", not true or false',
    ],
  ])('refuses a report with %s (exit 3), naming the file and the field', (_, doc, message) => {
    const error = refusal(doc);
    expect(error?.exitCode).toBe(3);
    expect(error?.message).toBe(message);
  });
});
