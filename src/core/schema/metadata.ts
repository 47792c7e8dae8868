/**
 * The table's metadata file (SPEC section 9): what a person declares about each column, written
 * by `gesalp schema` as a draft to review and read back by `--schema` (and `--public-bounds`,
 * whose bounds-only files are the same format with fewer keys). One JSON object:
 *
 *   { "gesalp_metadata": 1,
 *     "drafted_from_data": true,           <- a draft: under DP it is refused until a person removes this
 *     "rows": 344,                         <- optional: a row count declared public
 *     "columns": {
 *       "species":   { "kind": "categorical", "categories": ["Adelie", "Gentoo"], "missing": false },
 *       "body_mass": { "kind": "integer", "min": 2700, "max": 6300, "missing": true },
 *       "bill_depth": { "kind": "numeric", "min": 13.1, "max": 21.5, "step": 0.1 },
 *       "seen_on":   { "kind": "datetime", "min": "2007-11-09", "max": "2009-12-01", "step": 86400 },
 *       "email":     { "kind": "pii", "pii": "email" } },
 *     "constraints": [ { "type": "positive", "column": "body_mass" } ] }   <- optional: constraints.ts
 *
 * Every key of a column is optional: what is declared is public, what is not is read from the
 * data (without DP) or released under DP with budget. The file is trusted to be public, not to be
 * well formed: anything else is refused naming the file and the key.
 */
import { inputError, unknownNameHint, usageError } from '../errors.js';
import { duplicateKey } from '../io/duplicate-keys.js';
import { parseIsoDate } from './values.js';
import { describeJson, isoText } from './metadata-text.js';
import { constraintColumns, constraintJson, parseConstraints, type Constraint } from './constraints.js';

export const METADATA_VERSION = 1;
/** Past this the file is not metadata a person wrote. */
export const METADATA_MAX_BYTES = 4 * 1024 * 1024;
const MAX_CATEGORIES = 100_000;
const MAX_QUANTILES = 1000;

export const METADATA_KINDS = [
  'numeric',
  'integer',
  'datetime',
  'boolean',
  'categorical',
  'identifier',
  'pii',
] as const;
export type MetadataKind = (typeof METADATA_KINDS)[number];

export interface ColumnMetadata {
  readonly kind?: MetadataKind;
  /** Bounds of a numeric, integer or date column (dates as seconds since 1970). */
  readonly min?: number;
  readonly max?: number;
  /** Sampled values are rounded to a multiple of this (0: no rounding). */
  readonly step?: number;
  /** Non-decreasing, from min to max. */
  readonly quantiles?: number[];
  /** The levels of a categorical or boolean column, as text. */
  readonly categories?: string[];
  /** Whether the column may have gaps. */
  readonly missing?: boolean;
  /** The kind of personal data a pii column holds (email, phone, ...). */
  readonly pii?: string;
  /** A remark for the person reviewing a draft; never read. */
  readonly note?: string;
}

export interface TableMetadata {
  /** Written by `gesalp schema` and not yet reviewed: nothing in it is declared public yet. */
  readonly draftedFromData: boolean;
  /** A row count declared public (DP calibration uses it instead of a noisy count). */
  readonly rows?: number;
  /** By column name, in the file's order. */
  readonly columns: ReadonlyMap<string, ColumnMetadata>;
  /** Rules every synthetic row holds (constraints.ts); absent or empty: none. */
  readonly constraints?: readonly Constraint[];
}

const HINT =
  'Write it as {"columns": {"age": {"kind": "integer", "min": 17, "max": 90}, "workclass": {"kind": "categorical", "categories": ["Private", "State-gov"]}}}, or draft one with gesalp schema INPUT.';

type Doc = Record<string, unknown>;
const isObject = (value: unknown): value is Doc => typeof value === 'object' && value !== null && !Array.isArray(value);

const TOP_KEYS = ['gesalp_metadata', 'drafted_from_data', 'rows', 'columns', 'constraints'];
const COLUMN_KEYS = ['kind', 'min', 'max', 'step', 'quantiles', 'categories', 'missing', 'pii', 'note'];
const NUMERIC_KINDS: readonly MetadataKind[] = ['numeric', 'integer', 'datetime'];
const CATEGORY_KINDS: readonly MetadataKind[] = ['categorical', 'boolean'];

/** Parses and checks the file's text; the columns are checked against a table by `checkMetadataColumns`. */
export function parseMetadata(text: string, file: string): TableMetadata {
  const fail = (key: string, problem: string, hint = HINT) =>
    inputError(`${file}: ${key ? `"${key}" ` : ''}${problem}`, hint);
  if (text.length > METADATA_MAX_BYTES)
    throw fail('', `is larger than ${METADATA_MAX_BYTES} bytes, not a metadata file`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw fail('', `is not JSON (${(error as Error).message})`);
  }
  if (!isObject(doc)) throw fail('', `holds ${describeJson(doc)}, not an object with "columns"`);
  // JSON.parse keeps the last of two equal keys: a second "drafted_from_data" or column would hide the first.
  const repeated = duplicateKey(text);
  if (repeated) throw fail('', `holds the key ${repeated} twice in one object: write each key once`);
  for (const key of Object.keys(doc)) if (!TOP_KEYS.includes(key)) throw fail(key, 'is not a key of a metadata file');
  if (doc.gesalp_metadata !== undefined && doc.gesalp_metadata !== METADATA_VERSION)
    throw fail(
      'gesalp_metadata',
      `is ${describeJson(doc.gesalp_metadata)}: this gesalp reads version ${METADATA_VERSION}`,
    );
  if (doc.drafted_from_data !== undefined && typeof doc.drafted_from_data !== 'boolean')
    throw fail('drafted_from_data', `is ${describeJson(doc.drafted_from_data)}, not true or false`);
  const rows = doc.rows;
  if (rows !== undefined && !(Number.isInteger(rows) && (rows as number) > 0))
    throw fail('rows', `is ${describeJson(rows)}, not a whole number above 0`);
  if (!isObject(doc.columns)) throw fail('columns', `is ${describeJson(doc.columns)}, not an object of columns`);
  const columns = new Map<string, ColumnMetadata>();
  for (const [name, entry] of Object.entries(doc.columns)) {
    const key = `columns.${name}`;
    if (!isObject(entry)) throw fail(key, `is ${describeJson(entry)}, not an object`);
    columns.set(name, readColumn(new FieldReader(entry, key, fail)));
  }
  const constraints = doc.constraints === undefined ? [] : parseConstraints(doc.constraints, columns, file, fail);
  return {
    draftedFromData: doc.drafted_from_data === true,
    ...(rows !== undefined ? { rows: rows as number } : {}),
    columns,
    ...(constraints.length ? { constraints } : {}),
  };
}

function readColumn(field: FieldReader): ColumnMetadata {
  field.only(COLUMN_KEYS);
  const kind = field.kind();
  const hasBounds = field.has('min') || field.has('max');
  const hasCategories = field.has('categories');
  if (hasBounds && hasCategories)
    field.refuse('categories', 'and "min"/"max" both appear: a column has one or the other');
  if (kind && CATEGORY_KINDS.includes(kind) && (hasBounds || field.has('step') || field.has('quantiles')))
    field.refuse('kind', `is "${kind}", which takes "categories" and "missing", not bounds`);
  if (kind && NUMERIC_KINDS.includes(kind) && hasCategories)
    field.refuse('kind', `is "${kind}", which takes bounds, not "categories"`);
  if ((kind === 'identifier' || kind === 'pii') && (hasBounds || hasCategories))
    field.refuse('kind', `is "${kind}": such a column is never learned, so it takes no bounds or categories`);
  if (field.has('pii') && kind !== 'pii') field.refuse('pii', 'belongs to a column of kind "pii"');
  const date = kind === 'datetime' || field.isDateText('min') || field.isDateText('max');
  const out: { -readonly [K in keyof ColumnMetadata]: ColumnMetadata[K] } = {};
  // Dates written as dates declare the kind; written as seconds they need "kind": "datetime".
  if (kind) out.kind = kind;
  else if (date) out.kind = 'datetime';
  if (hasBounds) {
    out.min = field.bound('min', date);
    out.max = field.bound('max', date);
    if (!(out.min < out.max)) field.refuse('min', `is ${out.min}, not below "max" ${out.max}`);
    // Decoding maps values across the range: a width that overflows a double would turn into NaN.
    if (!Number.isFinite(out.max - out.min))
      field.refuse('max', `is too far from "min" (${out.min} to ${out.max}): the range overflows a number`);
    const quantiles = field.quantiles(out.min, out.max);
    if (quantiles) out.quantiles = quantiles;
  } else if (field.has('quantiles')) field.refuse('quantiles', 'needs "min" and "max" beside it');
  const step = field.optionalNumber('step');
  if (step !== undefined) out.step = step;
  if (hasCategories) out.categories = field.categories();
  const missing = field.optionalBoolean('missing');
  if (missing !== undefined) out.missing = missing;
  const pii = field.optionalText('pii');
  if (pii !== undefined) out.pii = pii;
  const note = field.optionalText('note');
  if (note !== undefined) out.note = note;
  return out;
}

class FieldReader {
  constructor(
    private readonly entry: Doc,
    private readonly key: string,
    private readonly fail: (key: string, problem: string, hint?: string) => Error,
  ) {}

  private name = (field: string) => `${this.key}.${field}`;

  has = (field: string): boolean => this.entry[field] !== undefined;

  refuse(field: string, problem: string): never {
    throw this.fail(this.name(field), problem);
  }

  only(allowed: readonly string[]): void {
    for (const field of Object.keys(this.entry))
      if (!allowed.includes(field)) this.refuse(field, `is not a key of a column (${allowed.join(', ')})`);
  }

  kind(): MetadataKind | undefined {
    const value = this.entry.kind;
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !(METADATA_KINDS as readonly string[]).includes(value))
      this.refuse('kind', `is ${describeJson(value)}, not one of ${METADATA_KINDS.join(', ')}`);
    return value as MetadataKind;
  }

  isDateText(field: 'min' | 'max'): boolean {
    const value = this.entry[field];
    return typeof value === 'string' && !Number.isNaN(parseIsoDate(value));
  }

  bound(field: 'min' | 'max', date: boolean): number {
    const value = this.entry[field];
    if (value === undefined) this.refuse(field, 'is missing');
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (date && typeof value === 'string' && !Number.isNaN(parseIsoDate(value))) return parseIsoDate(value);
    return this.refuse(field, `is ${describeJson(value)}, not a finite number${date ? ' or an ISO 8601 date' : ''}`);
  }

  optionalNumber(field: string): number | undefined {
    const value = this.entry[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      this.refuse(field, `is ${describeJson(value)}, not a number >= 0`);
    return value as number;
  }

  optionalBoolean(field: string): boolean | undefined {
    const value = this.entry[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') this.refuse(field, `is ${describeJson(value)}, not true or false`);
    return value as boolean;
  }

  optionalText(field: string): string | undefined {
    const value = this.entry[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') this.refuse(field, `is ${describeJson(value)}, not a text`);
    return value as string;
  }

  quantiles(min: number, max: number): number[] | undefined {
    const value = this.entry.quantiles;
    if (value === undefined) return undefined;
    const field = 'quantiles';
    if (!Array.isArray(value) || value.length < 2 || value.length > MAX_QUANTILES)
      this.refuse(field, `is ${describeJson(value)}, not a list of 2 to ${MAX_QUANTILES} numbers`);
    const list = value as unknown[];
    list.forEach((q, i) => {
      if (typeof q !== 'number' || !Number.isFinite(q))
        this.refuse(`${field}[${i}]`, `is ${describeJson(q)}, not a finite number`);
      if (i > 0 && q < (list[i - 1] as number))
        this.refuse(`${field}[${i}]`, `is ${q}, below the one before it: quantiles do not decrease`);
    });
    if (list[0] !== min || list[list.length - 1] !== max)
      this.refuse(field, `runs from ${list[0]} to ${list[list.length - 1]}, not from "min" ${min} to "max" ${max}`);
    return list as number[];
  }

  /** The levels as text (numbers written as numbers become their text); numeric labels are canonicalised by the reader. */
  categories(): string[] {
    const value = this.entry.categories;
    const field = 'categories';
    if (!Array.isArray(value) || value.length === 0 || value.length > MAX_CATEGORIES)
      this.refuse(field, `is ${describeJson(value)}, not a list of 1 to ${MAX_CATEGORIES} categories`);
    const seen = new Set<string>();
    return (value as unknown[]).map((item, i) => {
      if (typeof item !== 'string' && typeof item !== 'boolean' && !(typeof item === 'number' && Number.isFinite(item)))
        this.refuse(`${field}[${i}]`, `is ${describeJson(item)}, not a text or a number`);
      const text = String(item);
      if (seen.has(text)) this.refuse(`${field}[${i}]`, `repeats the category ${JSON.stringify(text)}`);
      seen.add(text);
      return text;
    });
  }
}

/** The metadata as JSON text, in the file's format (dates as ISO 8601 text). */
export function formatMetadata(metadata: TableMetadata): string {
  const columns: Record<string, Record<string, unknown>> = {};
  for (const [name, column] of metadata.columns) {
    const date = column.kind === 'datetime';
    const entry: Record<string, unknown> = {};
    if (column.kind) entry.kind = column.kind;
    if (column.pii !== undefined) entry.pii = column.pii;
    if (column.min !== undefined) entry.min = date ? isoText(column.min) : column.min;
    if (column.max !== undefined) entry.max = date ? isoText(column.max) : column.max;
    if (column.step !== undefined) entry.step = column.step;
    if (column.quantiles) entry.quantiles = column.quantiles;
    if (column.categories) entry.categories = column.categories;
    if (column.missing !== undefined) entry.missing = column.missing;
    if (column.note !== undefined) entry.note = column.note;
    columns[name] = entry;
  }
  const doc = {
    gesalp_metadata: METADATA_VERSION,
    ...(metadata.draftedFromData ? { drafted_from_data: true } : {}),
    ...(metadata.rows !== undefined ? { rows: metadata.rows } : {}),
    columns,
    ...(metadata.constraints?.length ? { constraints: metadata.constraints.map(constraintJson) } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** The column names a metadata file declares that the table lacks: refused, with the closest name. */
export function checkMetadataColumns(metadata: TableMetadata, names: readonly string[], file: string): void {
  for (const name of metadata.columns.keys())
    if (!names.includes(name))
      throw inputError(`${file}: "columns.${name}" is not a column of the input`, unknownNameHint(name, [...names]));
  for (const constraint of metadata.constraints ?? [])
    for (const { name, field } of constraintColumns(constraint))
      if (!names.includes(name))
        throw inputError(
          `${constraint.source?.file ?? file}: "${constraint.source?.key ?? 'constraints'}.${field}" names '${name}', which is not a column of the input`,
          unknownNameHint(name, [...names]),
        );
}

/** A draft refused where it would be read as public (DP): the reviewer removes the marker. */
export function refuseDraft(metadata: TableMetadata, file: string): void {
  if (metadata.draftedFromData)
    throw usageError(
      `${file} is a draft read from the data ("drafted_from_data": true): under DP it cannot be declared public unreviewed`,
      `Review every column in ${file} (bounds, categories and row count are read from real rows: remove or widen any that would single out a person), then delete the "drafted_from_data" line.`,
    );
}
