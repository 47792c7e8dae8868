/**
 * ML efficacy (SPEC section 3): a gradient-boosted trees model trained on the real training rows
 * and one trained on the synthetic rows, both scored on the holdout. The check compares the
 * synthetic model's macro F1 (categorical target) or R^2 (numeric target) with the real one's.
 */
import type { BoostingParams } from '../learn/boosting.js';
import { accuracy, macroF1, rmse, rocAucOf, rSquared } from '../learn/scores.js';
import { tableFeatures, takeFeatureRows } from '../learn/table-features.js';
import { isNumeric, type Table } from '../../core/table.js';
import { fitAndClassify, fitAndRegress } from './classifier.js';

export type EfficacyScores = Readonly<Record<string, number | null>>;

export interface EfficacyResult {
  readonly target: string;
  readonly task: 'classification' | 'regression';
  /** The score the check compares: macro_f1 or r2. */
  readonly score: 'macro_f1' | 'r2';
  readonly real: EfficacyScores;
  readonly synthetic: EfficacyScores;
  /** synthetic / real for each score (null where real's is 0 or less). */
  readonly ratio: EfficacyScores;
  readonly rows: { readonly real: number; readonly synthetic: number; readonly holdout: number };
}

export function mlEfficacy(
  real: Table,
  synthetic: Table,
  holdout: Table,
  target: string,
  params: Partial<BoostingParams> = {},
): EfficacyResult {
  const index = real.columns.findIndex((c) => c.name === target);
  if (index < 0) throw new Error(`no column '${target}'`);
  const present = (table: Table) => {
    const column = table.columns[index];
    const rows: number[] = [];
    for (let r = 0; r < table.rowCount; r++)
      if (isNumeric(column) ? !Number.isNaN(column.values[r]) : column.codes[r] >= 0) rows.push(r);
    return { features: takeFeatureRows(tableFeatures(table, [target]), rows), rows };
  };
  const sets = { real: present(real), synthetic: present(synthetic), holdout: present(holdout) };
  const rows = {
    real: sets.real.rows.length,
    synthetic: sets.synthetic.rows.length,
    holdout: sets.holdout.rows.length,
  };
  if (rows.holdout === 0) throw new Error(`the holdout has no value of '${target}'`);
  if (rows.synthetic === 0) throw new Error(`the synthetic table has no value of '${target}'`);
  const column = real.columns[index];
  const scores = (train: keyof typeof sets): EfficacyScores => {
    const set = sets[train];
    const table = train === 'real' ? real : synthetic;
    const test = sets.holdout;
    if (isNumeric(column)) {
      const y = (t: Table, r: number[]) => Float64Array.from(r, (i) => (t.columns[index] as typeof column).values[i]);
      const truth = y(holdout, test.rows);
      const predicted = fitAndRegress(set.features, y(table, set.rows), test.features, params);
      return { r2: rSquared(truth, predicted), rmse: rmse(truth, predicted) };
    }
    const codes = (t: Table, r: number[]) =>
      Int32Array.from(r, (i) => (t.columns[index] as { codes: Int32Array }).codes[i]);
    const classes = column.levels.length;
    const truth = codes(holdout, test.rows);
    const fitted = fitAndClassify(set.features, codes(table, set.rows), classes, test.features, params);
    return {
      accuracy: accuracy(truth, fitted.predicted),
      macro_f1: macroF1(truth, fitted.predicted, classes),
      roc_auc: rocAucOf(truth, fitted.probabilities, classes),
    };
  };
  const realScores = clean(scores('real'));
  const syntheticScores = clean(scores('synthetic'));
  const ratio = Object.fromEntries(
    Object.entries(realScores).map(([k, v]) => {
      const s = syntheticScores[k];
      // RMSE is lower-is-better: its ratio is real over synthetic, so 1 or more means as good.
      if (k === 'rmse') return [k, v !== null && s !== null && s > 0 ? v / s : null];
      return [k, v !== null && s !== null && v > 0 ? s / v : null];
    }),
  );
  return {
    target,
    task: isNumeric(column) ? 'regression' : 'classification',
    score: isNumeric(column) ? 'r2' : 'macro_f1',
    real: realScores,
    synthetic: syntheticScores,
    ratio,
    rows,
  };
}

const clean = (scores: EfficacyScores): EfficacyScores =>
  Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, v === null || Number.isNaN(v) ? null : v]));
