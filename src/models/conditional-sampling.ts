/**
 * `--condition column=value`: rows that hold given values of one categorical column, `rows` of
 * each. A model that can steer its sampling (CTGAN's conditional vector) draws steered rows; any
 * model can draw plain ones. Either way only matching rows are kept (rejection sampling), drawing
 * batches sized by the share seen so far, and sampling gives up once it has drawn
 * CONDITION_DRAW_LIMIT times the rows asked for: a value rarer than about 1 % of the model's rows
 * is refused with its observed share rather than sampled for ever (the loop is rejection-sampling.ts's).
 */
import { optionError, unknownNameHint } from '../core/errors.js';
import { sampleIndices, type Rng } from '../core/rng.js';
import type { CategoricalColumn, ColumnKind, Table } from '../core/table.js';
import { isCategorical, takeRows } from '../core/table.js';
import { appendTables, keepDrawing } from './rejection-sampling.js';

export interface SampleCondition {
  readonly column: string;
  /** Level names; each gets the rows asked for. */
  readonly values: readonly string[];
}

/** A condition checked against the model's columns: the column's index and each value's level code. */
export interface ConditionTarget {
  readonly column: number;
  readonly codes: readonly number[];
}

/**
 * A usage error about the condition option: its texts name options as `{condition}` (and `{name}`
 * for each of `mentions`), which the CLI words as its flags.
 */
export const conditionError = (message: string, hint?: string, mentions: readonly string[] = []) =>
  optionError('usage', 'condition', message, hint, mentions);

/** Rows drawn per value at most, as a multiple of the rows asked for (at least CONDITION_MIN_DRAW). */
export const CONDITION_DRAW_LIMIT = 100;
const CONDITION_MIN_DRAW = 1000;

/** Checks the condition against the columns the model was trained on; exit 2 with the fix for anything it cannot hold. */
export function resolveCondition(
  condition: SampleCondition,
  columns: readonly { readonly name: string; readonly kind: ColumnKind; readonly levels?: readonly string[] }[],
): ConditionTarget {
  const categorical = columns.filter((c) => c.kind === 'categorical').map((c) => c.name);
  const column = columns.findIndex((c) => c.name === condition.column);
  if (column < 0)
    throw conditionError(
      `{condition}: the model has no column '${condition.column}'`,
      unknownNameHint(condition.column, categorical),
    );
  const levels = columns[column].levels;
  if (columns[column].kind !== 'categorical' || !levels)
    throw conditionError(
      `{condition}: '${condition.column}' is ${columns[column].kind}; conditions take values of a categorical column`,
      `Condition on one of: ${categorical.join(', ') || '(the table has no categorical column)'}.`,
    );
  const codes = condition.values.map((value) => {
    const code = levels.indexOf(value);
    if (code < 0)
      throw conditionError(
        `{condition}: '${condition.column}' has no value '${value}' in the training rows`,
        unknownNameHint(value, levels).replace('Valid names', 'Its values'),
      );
    return code;
  });
  return { column, codes };
}

/**
 * `rows` rows whose column `column` holds level `code`, from the batches `draw(count, round)`
 * gives; `name` says column=value in the error.
 */
export function keepMatching(
  rows: number,
  column: number,
  code: number,
  name: string,
  draw: (count: number, round: number) => Promise<Table>,
): Promise<Table> {
  return keepDrawing({
    rows,
    limit: Math.max(CONDITION_DRAW_LIMIT * rows, CONDITION_MIN_DRAW),
    minBatch: CONDITION_MIN_DRAW,
    draw,
    keep: (batch) => {
      const codes = batch.columns[column];
      if (!isCategorical(codes)) throw new Error(`condition column ${column} is not categorical in the sampled rows`);
      const matching: number[] = [];
      for (let r = 0; r < batch.rowCount; r++) if (codes.codes[r] === code) matching.push(r);
      return matching;
    },
    giveUp: (kept, drawn) =>
      conditionError(
        `{condition} ${name}: ${kept} of ${drawn} sampled rows held it (${((100 * kept) / drawn).toFixed(2)} %); sampling stops after ${CONDITION_DRAW_LIMIT} times the rows asked for`,
        `Ask for fewer rows ({rows} ${Math.max(1, Math.floor((kept * rows) / drawn))} or so), or train the model longer so that it produces the value more often.`,
        ['rows'],
      ),
  });
}

/** Re-exported for the models that append their per-value parts. */
export { appendTables };

/**
 * Rows of each condition value, `rows` of each in the values' order, by rejection sampling of the
 * plain rows `draw(count, seed)` gives (for the models that cannot be steered to a category:
 * TabDDPM, TVAE). Each value's rounds draw with their own seed, from the options' seed.
 */
export async function sampleEachValue(
  columns: Parameters<typeof resolveCondition>[1],
  rows: number,
  options: {
    readonly condition: SampleCondition;
    readonly seed: number;
    readonly onProgress?: (done: number, all: number) => void;
  },
  draw: (count: number, seed: number) => Promise<Table>,
): Promise<Table> {
  const { condition } = options;
  const target = resolveCondition(condition, columns);
  const parts: Table[] = [];
  for (const [v, code] of target.codes.entries()) {
    const name = `${condition.column}=${condition.values[v]}`;
    parts.push(
      await keepMatching(rows, target.column, code, name, (count, round) =>
        draw(count, options.seed + 7919 * (v + 1) + round),
      ),
    );
    options.onProgress?.((v + 1) * rows, target.codes.length * rows);
  }
  return appendTables(parts);
}

/**
 * The real rows a conditioned sample is judged against: those of `table` holding the condition's
 * values, each value's rows cut (seeded) to the count of the rarest, so that the values share the
 * rows equally as the sample's `rows` of each do. Null when a value has no row here.
 */
export function conditionedRows(table: Table, target: ConditionTarget, rng: Rng): Table | null {
  const codes = (table.columns[target.column] as CategoricalColumn).codes;
  const byValue = target.codes.map(() => [] as number[]);
  codes.forEach((c, i) => {
    const v = target.codes.indexOf(c);
    if (v >= 0) byValue[v].push(i);
  });
  const least = Math.min(...byValue.map((rows) => rows.length));
  if (least === 0) return null;
  const keep = byValue.flatMap((rows) => Array.from(sampleIndices(rows.length, least, rng), (k) => rows[k]));
  return takeRows(table, Int32Array.from(keep).sort());
}
