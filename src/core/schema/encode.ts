/**
 * Turns raw tables into typed Tables under one schema. Categorical columns of every table
 * encoded by one TableEncoder share their level list, so codes compare across real,
 * holdout and synthetic rows.
 */
import type { RawColumn, RawTable } from '../io/raw-table.js';
import type { Column, Table } from '../table.js';
import type { ColumnSpec, Schema } from './schema.js';
import { inputError, optionError } from '../errors.js';
import { levelCode } from './levels.js';
import {
  canonicalNumberText,
  isInfinityText,
  isMissingMarker,
  isNumberText,
  parseFiniteNumber,
  parseIsoDate,
} from './values.js';

export class TableEncoder {
  private readonly categoryIndex = new Map<string, Map<string, number>>();
  private readonly categoryLevels = new Map<string, string[]>();

  constructor(readonly schema: Schema) {
    for (const spec of schema.columns) {
      if (spec.kind === 'categorical') {
        this.categoryIndex.set(spec.name, new Map());
        this.categoryLevels.set(spec.name, []);
      }
    }
  }

  encode(raw: RawTable): Table {
    const byName = new Map(raw.columns.map((c) => [c.name, c]));
    checkSameColumns(raw, this.schema);
    const columns = this.schema.columns.map((spec) => this.encodeColumn(byName.get(spec.name)!, spec, raw.source));
    return { rowCount: raw.rowCount, columns };
  }

  private encodeColumn(raw: RawColumn, spec: ColumnSpec, source: string): Column {
    if (spec.kind === 'categorical') {
      const index = this.categoryIndex.get(spec.name)!;
      const levels = this.categoryLevels.get(spec.name)!;
      const mapping = raw.levels.map((level) =>
        levelCode(index, levels, spec.numericLabels && isNumberText(level) ? canonicalNumberText(level) : level),
      );
      const codes = raw.codes.map((c) => (c < 0 ? -1 : mapping[c]));
      return { name: spec.name, kind: 'categorical', codes, levels };
    }
    const parse = spec.kind === 'datetime' ? parseDateLevel : parseNumberLevel;
    const parsed = Float64Array.from(raw.levels, parse);
    const bad = parsed.findIndex((v, i) => Number.isNaN(v) && !isMissingMarker(raw.levels[i]));
    if (bad >= 0) throw wrongKind(raw, bad, spec, source);
    const values = new Float64Array(raw.codes.length);
    raw.codes.forEach((c, i) => (values[i] = c < 0 ? NaN : parsed[c]));
    return { name: spec.name, kind: spec.kind, values };
  }
}

/** Every numeric value of every table passes here: an infinity ('inf', '1e400') is NaN, then refused as not a number. */
const parseNumberLevel = (text: string): number => parseFiniteNumber(text) ?? NaN;
const parseDateLevel = (text: string): number => parseIsoDate(text);

function wrongKind(raw: RawColumn, level: number, spec: ColumnSpec, source: string): Error {
  const row = raw.codes.indexOf(level) + 1;
  const text = raw.levels[level];
  if (spec.kind !== 'datetime' && isInfinityText(text))
    return inputError(
      `${source}: column '${spec.name}', data row ${row}: '${text.trim()}' is an infinite number`,
      'Metrics need finite numbers: replace it with a bound or leave the field empty (missing).',
    );
  const expected = spec.kind === 'datetime' ? 'an ISO 8601 date' : 'a number';
  return optionError(
    'input',
    'discrete',
    `${source}: column '${spec.name}', data row ${row}: '${text}' is not ${expected}, as the real table's values are`,
    `Fix the value, or declare the column categorical in both files with {discrete} ${spec.name}.`,
  );
}

function checkSameColumns(raw: RawTable, schema: Schema): void {
  const have = new Set(raw.columns.map((c) => c.name));
  const want = new Set(schema.columns.map((c) => c.name));
  const missing = [...want].filter((n) => !have.has(n));
  const extra = [...have].filter((n) => !want.has(n));
  if (missing.length || extra.length) {
    const parts = [
      missing.length ? `lacks ${missing.join(', ')}` : '',
      extra.length ? `has extra ${extra.join(', ')}` : '',
    ];
    throw inputError(
      `${raw.source} ${parts.filter(Boolean).join(' and ')} compared with the real table`,
      'Both files need the same column names (the order may differ).',
    );
  }
}
