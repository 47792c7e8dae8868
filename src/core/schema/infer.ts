/**
 * Column kinds from the values of the real table:
 * - numeric: every value is a number (NA/NaN/null/? count as missing there);
 * - categorical when the numbers are integers with at most MAX_INTEGER_CODES distinct values
 *   (codes such as sex 1/2 or class 1..3), unless --continuous names the column;
 * - datetime: every value is an ISO 8601 date or date-time (compared as seconds since the epoch);
 * - categorical otherwise, or when --discrete names the column.
 * A column with no values in the real table takes its kind from the next table that has some.
 */
import type { RawColumn, RawTable } from '../io/raw-table.js';
import { optionError, unknownNameHint } from '../errors.js';
import { isInfinityText, isMissingMarker, isNumberText, parseIsoDate } from './values.js';
import type { ColumnSpec, KindOverrides, Schema } from './schema.js';

export const MAX_INTEGER_CODES = 10;

interface LevelProfile {
  readonly present: boolean;
  readonly allNumbers: boolean;
  /** The first level that is an infinite number ('inf', '1e400'), if any. */
  readonly infinity: number | undefined;
  readonly integerDistinct: number | undefined;
  readonly allDates: boolean;
}

function profile(column: RawColumn): LevelProfile {
  const usedIndices = usedLevels(column);
  const used = usedIndices.map((i) => column.levels[i]);
  const values = used.filter((level) => !isMissingMarker(level));
  const infiniteLevel = usedIndices.find((i) => isInfinityText(column.levels[i]));
  const finite = values.filter((level) => !isInfinityText(level));
  const allNumbers = values.length > 0 && finite.every(isNumberText);
  let integerDistinct: number | undefined;
  if (allNumbers && infiniteLevel === undefined) {
    const numbers = finite.map(Number);
    if (numbers.every(Number.isInteger)) integerDistinct = new Set(numbers).size;
  }
  return {
    present: used.length > 0,
    allNumbers,
    infinity: infiniteLevel,
    integerDistinct,
    allDates: used.length > 0 && used.every((level) => !Number.isNaN(parseIsoDate(level))),
  };
}

/** Indices of the levels that at least one row uses (a level may be unused after slicing). */
function usedLevels(column: RawColumn): number[] {
  const used = new Uint8Array(column.levels.length);
  for (const code of column.codes) if (code >= 0) used[code] = 1;
  return column.levels.flatMap((_, i) => (used[i] === 1 ? [i] : []));
}

/** `lenient`: an infinite number makes its column text instead of an error (under DP no value may refuse the input). */
export function inferSchema(
  real: RawTable,
  others: readonly RawTable[] = [],
  overrides: KindOverrides = {},
  lenient = false,
): Schema {
  const names = real.columns.map((c) => c.name);
  checkOverrideNames(overrides, names);
  const discrete = new Set(overrides.discrete ?? []);
  const continuous = new Set(overrides.continuous ?? []);
  // Columns by name, once per table: a lookup per column would make a wide table quadratic.
  const tables = [real, ...others].map((t) => ({ source: t, byName: new Map(t.columns.map((c) => [c.name, c])) }));
  const columns = real.columns.map((column): ColumnSpec => {
    // A column with no values in the real table takes its kind from the first table that has some.
    const found = tables.find((t) => t.byName.get(column.name)?.codes.some((x) => x >= 0));
    const source = found?.source;
    const raw = found?.byName.get(column.name) ?? column;
    const spec = decide(
      raw,
      profile(raw),
      discrete.has(column.name),
      continuous.has(column.name),
      (source ?? real).source,
      lenient,
    );
    const from = source && source !== real ? ` (no values in ${real.source}; kind read from ${source.source})` : '';
    return { ...spec, reason: spec.reason + from };
  });
  return { columns };
}

function decide(
  raw: RawColumn,
  p: LevelProfile,
  forceDiscrete: boolean,
  forceContinuous: boolean,
  source: string,
  lenient: boolean,
): ColumnSpec {
  const name = raw.name;
  if (!p.present) return { name, kind: 'numeric', reason: 'no values in any input: left out of the metrics' };
  if (forceDiscrete)
    return { name, kind: 'categorical', reason: 'declared categorical (discrete)', numericLabels: p.allNumbers };
  // Under DP the kinds are released later from the values themselves; here nothing may refuse them.
  if (lenient && (p.infinity !== undefined || (forceContinuous && !p.allNumbers)))
    return {
      name,
      kind: 'categorical',
      reason: 'read as text until its kind is released',
      numericLabels: p.allNumbers,
    };
  if (p.allNumbers && p.infinity !== undefined) {
    throw optionError(
      'input',
      'discrete',
      `${source}: column '${name}', data row ${raw.codes.indexOf(p.infinity) + 1}: '${raw.levels[p.infinity].trim()}' is an infinite number`,
      `Metrics need finite numbers: replace it with a bound or leave the field empty (missing), or declare the column categorical with {discrete} ${name}.`,
    );
  }
  if (p.allNumbers) {
    const distinct = p.integerDistinct;
    if (distinct !== undefined && distinct <= MAX_INTEGER_CODES && !forceContinuous) {
      return {
        name,
        kind: 'categorical',
        reason: `integer codes with ${distinct} distinct values (<= ${MAX_INTEGER_CODES}); name it in continuous to treat as numeric`,
        numericLabels: true,
      };
    }
    return {
      name,
      kind: 'numeric',
      reason: forceContinuous ? 'declared numeric (continuous)' : 'every value is a number',
      ...(distinct !== undefined ? { integer: true } : {}),
    };
  }
  if (forceContinuous) {
    throw optionError(
      'usage',
      'continuous',
      `{continuous} names '${name}', but its values are not all numbers`,
      `Remove '${name}' from {continuous}.`,
    );
  }
  if (p.allDates)
    return { name, kind: 'datetime', reason: 'every value is an ISO 8601 date (compared as seconds since 1970)' };
  return { name, kind: 'categorical', reason: 'text values' };
}

function checkOverrideNames(overrides: KindOverrides, names: string[]): void {
  for (const [option, list] of [
    ['discrete', overrides.discrete],
    ['continuous', overrides.continuous],
  ] as const) {
    for (const name of list ?? []) {
      if (!names.includes(name))
        throw optionError(
          'usage',
          option,
          `{${option}} names '${name}', which is not a column`,
          unknownNameHint(name, names),
        );
    }
  }
  const both = (overrides.discrete ?? []).filter((n) => (overrides.continuous ?? []).includes(n));
  if (both.length)
    throw optionError(
      'usage',
      'continuous',
      `${both.join(', ')} named in both {discrete} and {continuous}`,
      'Name each column in one of them.',
      ['discrete'],
    );
}
