/**
 * `gesalp schema`'s draft (SPEC section 9): the table's metadata read off its rows, for a person to
 * review. Every bound, step, category and the row count come from real rows, so the draft carries
 * "drafted_from_data": under DP it is refused until the reviewer removes that marker, declaring
 * what is left public. Notes point at what a reviewer should decide.
 */
import { dateStep, decimalStep } from './steps.js';
import { isCategorical, type Table } from '../table.js';
import { detectIdentifiers } from './identifiers.js';
import type { ColumnMetadata, TableMetadata } from './metadata.js';
import type { Schema } from './schema.js';

/** Whole-number columns with more distinct values than the read's code limit, up to this, may be codes. */
const CODE_LEVELS = 100;
const CODE_NAME = /(^|_|\b)(id|code|type|kind|class|group|category|cat|source|region|browser|os)(_|\b|$)/i;

export function draftMetadata(table: Table, schema: Schema): TableMetadata {
  const columns = new Map<string, ColumnMetadata>();
  const identifiers = new Map(detectIdentifiers(table, true).map((f) => [f.column, f]));
  table.columns.forEach((column, i) => {
    const spec = schema.columns[i];
    const found = identifiers.get(column.name);
    if (found) {
      columns.set(column.name, {
        kind: found.kind,
        ...(found.pii ? { pii: found.pii } : {}),
        note: `${found.rule}: never learned or copied. If it carries information to keep, set its kind (categorical, numeric, ...) instead.`,
      });
      return;
    }
    if (isCategorical(column)) {
      const present = column.codes.filter((c) => c >= 0);
      const used = [...new Set(present)].map((c) => column.levels[c]).sort();
      const missing = present.length < column.codes.length;
      const boolean = used.length <= 2 && used.every((v) => /^(true|false)$/i.test(v));
      columns.set(column.name, { kind: boolean ? 'boolean' : 'categorical', categories: used, missing });
      return;
    }
    const present = column.values.filter((v) => !Number.isNaN(v));
    const missing = present.length < column.values.length;
    if (!present.length) {
      columns.set(column.name, { kind: 'numeric', missing: true, note: 'no values: declare its bounds by hand' });
      return;
    }
    const min = present.reduce((a, b) => Math.min(a, b));
    const max = present.reduce((a, b) => Math.max(a, b));
    const bounds = min < max ? { min, max } : { min, max: min + 1 };
    if (column.kind === 'datetime') {
      columns.set(column.name, { kind: 'datetime', ...bounds, step: dateStep(present), missing });
      return;
    }
    const step = decimalStep(present);
    const integer = spec?.integer === true || step === 1;
    const entry: ColumnMetadata = integer
      ? { kind: 'integer', ...bounds, missing }
      : { kind: 'numeric', ...bounds, ...(step ? { step } : {}), missing };
    const distinct = new Set(present).size;
    const note = integer && distinct <= CODE_LEVELS && looksLikeCodes(column.name, present, distinct);
    columns.set(
      column.name,
      note ? { ...entry, note: `${distinct} whole-number values: looks like codes: set "kind": "categorical"` } : entry,
    );
  });
  return { draftedFromData: true, rows: table.rowCount, columns };
}

/** Codes: a name that says so, or every whole number from 0 or 1 up to the largest present. */
function looksLikeCodes(name: string, values: Float64Array, distinct: number): boolean {
  if (CODE_NAME.test(name)) return true;
  const min = values.reduce((a, b) => Math.min(a, b));
  const max = values.reduce((a, b) => Math.max(a, b));
  return (min === 0 || min === 1) && max - min + 1 === distinct;
}
