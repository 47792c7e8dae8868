/**
 * What a run's final sample is judged against under --condition: its fidelity metrics compare
 * with the training rows holding the condition's values (a sample of one value against every row
 * would fail every marginal by design); its privacy metrics still read every training and holdout
 * row, so a copy of any row counts. Early-stop checkpoints sample without the condition and
 * compare with every training row.
 */
import { createRng } from '../core/rng.js';
import type { Table } from '../core/table.js';
import { FIDELITY_METRICS } from '../metrics/evaluate.js';
import { columnTemplate } from '../models/column-template.js';
import { conditionedRows, resolveCondition, type SampleCondition } from '../models/conditional-sampling.js';

/** Salt of the seeded cut of each value's rows to the rarest value's count. */
const CUT_SALT = 0x5a17;

/** The rows the fidelity metrics compare with, or undefined for every training row. */
export function fidelityRows(
  rows: { readonly train: Table; readonly template: Table },
  condition: SampleCondition | undefined,
  seed: number,
  say: { info: (text: string) => void; warn: (text: string) => void },
): Table | undefined {
  if (!condition) return undefined;
  const target = resolveCondition(condition, rows.template.columns.map(columnTemplate));
  const what = `${condition.column}=${condition.values.join(',')}`;
  const held = conditionedRows(rows.train, target, createRng(seed ^ CUT_SALT));
  if (!held) {
    say.warn(`condition ${what}: a value has no training row, so the metrics compare with every training row`);
    return undefined;
  }
  const each = condition.values.length > 1 ? ', as many of each value' : '';
  say.info(
    `condition ${what}: ${[...FIDELITY_METRICS].join(', ')} compare with the ${held.rowCount} training rows holding it${each}; the privacy metrics with every training and holdout row`,
  );
  return held;
}
