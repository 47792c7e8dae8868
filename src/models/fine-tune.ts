/**
 * Fine-tuning (`--init-from`): a fit that starts from a saved model's transform and weights
 * instead of fresh ones. The saved model hands out a FineTuneStart (Synthesizer.fineTuneStart);
 * a new model of the same method, with the same architecture parameters (the descriptor's
 * `fineTune.fixed`), takes it as FitOptions.init. The new rows are encoded with the saved
 * transform: its column ranges, quantiles, modes and level lists are reused, never refitted.
 * Numeric values outside the saved range are clipped by the transform as it encodes; a level the
 * saved model never saw is refused (`onUnseen: 'refuse'`, naming the column and the levels) or,
 * under DP where a refusal would tell that some private row holds it, encoded without dropping
 * the row: as no level by CTGAN's and TVAE's one-hot spans, as a uniform draw of the saved levels
 * by TabDDPM (drawUnseenLevels).
 */
import { optionError } from '../core/errors.js';
import type { CategoricalColumn, Column, NumericColumn, Table } from '../core/table.js';
import type { ColumnTemplate } from './column-template.js';
import { rngOfRow, type RowRngs } from './row-rngs.js';
import type { Layout } from './transformers/layout.js';
import type { ModeLayout } from './transformers/mode-layout.js';

/** A trained model's state a new fit starts from; `state` is opaque outside the method that made it. */
export interface FineTuneStart {
  readonly method: string;
  /** The parameters it was trained with: its architecture ones are the new fit's. */
  readonly params: Readonly<Record<string, number>>;
  /** The columns it was trained on, with their kinds and level lists. */
  readonly columns: readonly ColumnTemplate[];
  /** Which saved columns (by index) learnt missing values: a gap elsewhere has no place in the transform. */
  readonly missingAllowed: readonly boolean[];
  readonly state: unknown;
}

/** A level code that stands for a value the saved transform has no place for (DP: encoded without refusing it). */
export const UNSEEN = -2;

/** Comparable kinds: an integer column and a decimal one are both numeric; a date is its own. */
const family = (kind: string): string => (kind === 'categorical' ? 'categorical' : kind);

/**
 * Why `table` cannot be fine-tuned on by a model trained on `columns`, naming the columns (null
 * when it can): missing, extra, renamed, reordered or (unless `kinds` is false) retyped columns.
 */
export function schemaMismatch(table: Table, columns: readonly ColumnTemplate[], kinds = true): string | null {
  const have = table.columns.map((c) => c.name);
  const want = columns.map((c) => c.name);
  const missing = want.filter((n) => !have.includes(n));
  const extra = have.filter((n) => !want.includes(n));
  const parts: string[] = [];
  if (missing.length) parts.push(`missing column(s) ${missing.join(', ')}`);
  if (extra.length) parts.push(`column(s) the model does not know: ${extra.join(', ')}`);
  const retyped = (kinds ? columns : [])
    .map((c) => ({ c, t: table.columns.find((t) => t.name === c.name) }))
    .filter(({ c, t }) => t && family(t.kind) !== family(c.kind))
    .map(({ c, t }) => `${c.name} (${t!.kind}, the model's is ${c.kind})`);
  if (retyped.length) parts.push(`retyped column(s) ${retyped.join(', ')}`);
  if (!parts.length && have.join('\u0000') !== want.join('\u0000'))
    parts.push(`the columns are in another order (the model's: ${want.join(', ')})`);
  return parts.length ? parts.join('; ') : null;
}

/**
 * The rows re-coded onto the saved model's columns (same names, kinds and order, checked by
 * schemaMismatch first): categorical codes onto its level lists by label. A label it never saw, or
 * a missing value where it learnt none, is refused naming the column and the values, or with
 * `onUnseen: 'unseen'` coded UNSEEN (numeric gaps stay NaN) for the encoder to encode unrefused.
 */
export function recodeForFineTuning(
  table: Table,
  start: FineTuneStart,
  onUnseen: 'refuse' | 'unseen' = 'refuse',
): Table {
  const problems: string[] = [];
  const columns = start.columns.map((template, i): Column => {
    const column = table.columns[i];
    if (column.kind !== 'categorical' || template.kind !== 'categorical') {
      const values = (column as NumericColumn).values;
      if (!start.missingAllowed[i] && values.some(Number.isNaN) && onUnseen === 'refuse')
        problems.push(`${template.name}: missing values (the model learnt none)`);
      return { name: template.name, kind: template.kind, values } as NumericColumn;
    }
    const levels = template.levels ?? [];
    const index = new Map(levels.map((level, code) => [level, code]));
    const used = new Set(column.codes);
    const unseen = column.levels.filter((level, code) => used.has(code) && !index.has(level));
    if (used.has(-1) && !start.missingAllowed[i]) unseen.push('(missing)');
    if (unseen.length && onUnseen === 'refuse') problems.push(`${template.name}: ${unseen.join(', ')}`);
    const mapping = column.levels.map((level) => index.get(level) ?? UNSEEN);
    const missing = start.missingAllowed[i] ? -1 : UNSEEN;
    const codes = column.codes.map((c) => (c < 0 ? missing : mapping[c]));
    return { name: template.name, kind: 'categorical', codes, levels } satisfies CategoricalColumn;
  });
  if (problems.length)
    throw optionError(
      'input',
      'init_from',
      `the rows hold values the model in {init_from} never saw, which its transform cannot encode: ${problems.join('; ')}`,
      'Fine-tune on rows within the saved model\u2019s levels, or train a new model without {init_from}.',
    );
  return { rowCount: table.rowCount, columns };
}

/**
 * The rows a fit trains on, fine-tuning: recoded onto the saved model's levels (already on the DP
 * statistics' under DP, where a level the model lacks is coded UNSEEN rather than refused); the
 * rows as they are otherwise.
 */
export const fineTuneRows = (rows: Table, init: FineTuneStart | undefined, underDp: boolean): Table =>
  init ? recodeForFineTuning(rows, init, underDp ? 'unseen' : 'refuse') : rows;

/** The architecture parameters `params` would change from the saved model's (the descriptor's `fixed`). */
export function architectureChanges(
  fixed: readonly string[],
  saved: Readonly<Record<string, number>>,
  params: Readonly<Record<string, number>>,
): string[] {
  return fixed.filter((name) => params[name] !== undefined && params[name] !== saved[name]);
}

/** The start's state, checked to be this method's (a fit handed another method's start is a bug). */
export function startOf<State>(init: FineTuneStart, method: string): State {
  if (init.method !== method) throw new Error(`a ${method} fit was handed a ${init.method} model to start from`);
  return init.state as State;
}

/** Per column, whether a mode-specific layout (CTGAN, TVAE) has a place for a missing value. */
export function modeMissingAllowed(layout: ModeLayout): boolean[] {
  const allowed = new Array<boolean>(layout.columnCount).fill(false);
  for (const part of layout.numeric) allowed[part.column] = part.missingSpan >= 0 || part.modes.length === 0;
  for (const part of layout.categorical) allowed[part.column] = part.codes.includes(-1);
  return allowed;
}

/** Per column, whether TabDDPM's layout has a place for a missing value. */
export function layoutMissingAllowed(layout: Layout): boolean[] {
  const allowed = new Array<boolean>(layout.columnCount).fill(false);
  for (const part of layout.numeric) allowed[part.column] = part.missingSpan >= 0 || Number.isNaN(part.min);
  for (const span of layout.spans) if (span.role === 'category') allowed[span.column] = span.codes.includes(-1);
  return allowed;
}

/**
 * TabDDPM's transform has a class for every category span and no "no level": under DP (where
 * nothing is refused, since a refusal would tell that some private row holds the value) each
 * UNSEEN code of a category span becomes a uniform draw of the span's classes, the saved levels
 * (and missing, where it learnt one), which is where multinomial diffusion's forward process ends.
 * No row is dropped, so no row's presence changes what happens to another or to the run's outcome.
 * Each row draws from its own stream (`draws`: under DP-SGD keyed by the row's identity), at most
 * once per category span. A numeric gap where the saved layout learnt none stays NaN: encodeRows
 * fills it with noise, as it fills every gap.
 */
export function drawUnseenLevels(table: Table, layout: Layout, draws: RowRngs): Table {
  const rng = rngOfRow(draws);
  const columns = table.columns.slice();
  for (const span of layout.spans) {
    if (span.role !== 'category') continue;
    const column = columns[span.column];
    if (column.kind !== 'categorical' || !column.codes.includes(UNSEEN)) continue;
    const codes = column.codes.slice();
    for (let i = 0; i < codes.length; i++)
      if (codes[i] === UNSEEN) codes[i] = span.codes[rng(i).int(span.codes.length)];
    columns[span.column] = { ...column, codes };
  }
  return { rowCount: table.rowCount, columns };
}

/** The category spans of a TabDDPM layout: the most draws drawUnseenLevels takes of one row. */
export const unseenDrawsPerRow = (layout: Layout): number => layout.spans.filter((s) => s.role === 'category').length;

/** Whether any category of `table` holds an UNSEEN code (drawUnseenLevels would draw). */
export const holdsUnseen = (table: Table): boolean =>
  table.columns.some((c) => c.kind === 'categorical' && c.codes.includes(UNSEEN));
