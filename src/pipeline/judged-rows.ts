/**
 * What a run's final sample is judged against: the training and holdout rows, or under
 * --condition those holding the condition's values (a sample of one value against every row would
 * fail every marginal by design). Early-stop checkpoints sample without the condition and keep
 * the whole training rows.
 */
import { createRng } from '../core/rng.js';
import type { Table } from '../core/table.js';
import { columnTemplate } from '../models/column-template.js';
import { conditionedRows, resolveCondition, type SampleCondition } from '../models/conditional-sampling.js';

export interface JudgedRows {
  readonly train: Table;
  readonly holdout: Table | undefined;
}

/** Salt of the seeded cut of each value's rows to the rarest value's count. */
const CUT_SALT = 0x5a17;

export function judgedRows(
  rows: JudgedRows & { readonly table: Table },
  condition: SampleCondition | undefined,
  seed: number,
  say: { info: (text: string) => void; warn: (text: string) => void },
): JudgedRows {
  const { train, holdout, table } = rows;
  if (!condition) return { train, holdout };
  const target = resolveCondition(condition, table.columns.map(columnTemplate));
  const rng = createRng(seed ^ CUT_SALT);
  const what = `${condition.column}=${condition.values.join(',')}`;
  const judgedTrain = conditionedRows(train, target, rng);
  if (!judgedTrain) {
    say.warn(`--condition ${what}: a value has no training row, so the metrics compare with every training row`);
    return { train, holdout };
  }
  const judgedHoldout = holdout ? (conditionedRows(holdout, target, rng) ?? undefined) : undefined;
  const each = condition.values.length > 1 ? ', as many of each value' : '';
  const held = judgedHoldout
    ? ` and ${judgedHoldout.rowCount} holdout rows`
    : holdout
      ? ' (no holdout row holds every value: the metrics that need a holdout are not evaluated)'
      : '';
  say.info(
    `--condition ${what}: the metrics compare with the ${judgedTrain.rowCount} training rows${held} holding it${each}`,
  );
  return { train: judgedTrain, holdout: judgedHoldout };
}
