/**
 * The public bounds file (`generate --public-bounds`): column bounds and category lists the user
 * declares public, so DP training spends no budget on them. One JSON object:
 *
 *   { "columns": {
 *       "age": { "min": 17, "max": 90, "step": 1, "missing": false },
 *       "workclass": { "categories": ["Private", "Self-emp"], "missing": true } } }
 *
 * Numeric (and date) columns: "min" < "max" (dates as seconds since 1970 or ISO 8601 text),
 * optional "step" (rounding, >= 0), "missing" (whether the column may have gaps; default true)
 * and "quantiles" (non-decreasing, from min to max; default evenly spaced). Categorical columns:
 * "categories" (distinct) and "missing". Anything else is refused naming the file and the key:
 * the file is trusted to be public, not to be well formed.
 */
import { inputError, unknownNameHint } from '../../core/errors.js';
import type { Schema } from '../../core/schema/schema.js';
import { canonicalNumberText, isNumberText, parseIsoDate } from '../../core/schema/values.js';

/** Past this the file is not a list of bounds a person wrote. */
export const PUBLIC_BOUNDS_MAX_BYTES = 4 * 1024 * 1024;
const MAX_CATEGORIES = 100_000;
const MAX_QUANTILES = 1000;

export interface PublicNumeric {
  readonly kind: 'numeric';
  readonly min: number;
  readonly max: number;
  readonly step?: number;
  readonly missing?: boolean;
  readonly quantiles?: number[];
}

export interface PublicCategorical {
  readonly kind: 'categorical';
  readonly categories: string[];
  readonly missing?: boolean;
}

/** Declared public statistics by column name. */
export type PublicBounds = ReadonlyMap<string, PublicNumeric | PublicCategorical>;

const HINT =
  'Write it as {"columns": {"age": {"min": 17, "max": 90}, "workclass": {"categories": ["Private", "State-gov"]}}}.';

type Doc = Record<string, unknown>;
const isObject = (value: unknown): value is Doc => typeof value === 'object' && value !== null && !Array.isArray(value);

const describe = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'a list'
      : typeof value === 'object'
        ? 'an object'
        : typeof value === 'string'
          ? `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`
          : `${typeof value} ${String(value)}`;

/** Parses and checks the file's text against the table's schema. */
export function parsePublicBounds(text: string, file: string, schema: Schema): PublicBounds {
  const fail = (key: string, problem: string, hint = HINT) =>
    inputError(`${file}: ${key ? `"${key}" ` : ''}${problem}`, hint);
  if (text.length > PUBLIC_BOUNDS_MAX_BYTES)
    throw fail('', `is larger than ${PUBLIC_BOUNDS_MAX_BYTES} bytes, not a file of bounds`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw fail('', `is not JSON (${(error as Error).message})`);
  }
  if (!isObject(doc)) throw fail('', `holds ${describe(doc)}, not an object with "columns"`);
  for (const key of Object.keys(doc)) if (key !== 'columns') throw fail(key, 'is not a key of a public bounds file');
  const columns = doc.columns;
  if (!isObject(columns)) throw fail('columns', `is ${describe(columns)}, not an object of columns`);
  const names = schema.columns.map((c) => c.name);
  const result = new Map<string, PublicNumeric | PublicCategorical>();
  for (const [name, entry] of Object.entries(columns)) {
    const spec = schema.columns.find((c) => c.name === name);
    const key = `columns.${name}`;
    if (!spec) throw fail(key, 'is not a column of the input', unknownNameHint(name, names));
    if (!isObject(entry)) throw fail(key, `is ${describe(entry)}, not an object`);
    const field = new FieldReader(entry, key, fail);
    if (spec.kind === 'categorical') {
      field.only(['categories', 'missing'], 'a categorical column takes "categories" and "missing"');
      result.set(name, {
        kind: 'categorical',
        categories: field.categories(spec.numericLabels ?? false),
        ...field.optionalBoolean('missing'),
      });
      continue;
    }
    field.only(
      ['min', 'max', 'step', 'missing', 'quantiles'],
      `a ${spec.kind} column takes "min", "max", "step", "missing" and "quantiles"`,
    );
    const date = spec.kind === 'datetime';
    const min = field.bound('min', date);
    const max = field.bound('max', date);
    if (!(min < max)) throw fail(`${key}.min`, `is ${min}, not below "max" ${max}`);
    // Scaling divides by the range: one that overflows to infinity turns every gradient into NaN.
    if (!Number.isFinite(max - min))
      throw fail(key, `spans ${min} to ${max}, a range too wide to compute with (max - min is not a finite number)`);
    const quantiles = field.quantiles(min, max);
    const step = field.optionalNumber('step');
    result.set(name, {
      kind: 'numeric',
      min,
      max,
      ...(step !== undefined ? { step } : {}),
      ...field.optionalBoolean('missing'),
      ...(quantiles ? { quantiles } : {}),
    });
  }
  return result;
}

class FieldReader {
  constructor(
    private readonly entry: Doc,
    private readonly key: string,
    private readonly fail: (key: string, problem: string, hint?: string) => Error,
  ) {}

  private name = (field: string) => `${this.key}.${field}`;

  only(allowed: readonly string[], why: string): void {
    for (const field of Object.keys(this.entry))
      if (!allowed.includes(field)) throw this.fail(this.name(field), `is not a key here: ${why}`);
  }

  bound(field: 'min' | 'max', date: boolean): number {
    const value = this.entry[field];
    if (value === undefined) throw this.fail(this.name(field), 'is missing');
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (date && typeof value === 'string' && !Number.isNaN(parseIsoDate(value))) return parseIsoDate(value);
    throw this.fail(
      this.name(field),
      `is ${describe(value)}, not a finite number${date ? ' or an ISO 8601 date' : ''}`,
    );
  }

  optionalNumber(field: string): number | undefined {
    const value = this.entry[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      throw this.fail(this.name(field), `is ${describe(value)}, not a number >= 0`);
    return value;
  }

  optionalBoolean(field: 'missing'): { missing?: boolean } {
    const value = this.entry[field];
    if (value === undefined) return {};
    if (typeof value !== 'boolean') throw this.fail(this.name(field), `is ${describe(value)}, not true or false`);
    return { missing: value };
  }

  quantiles(min: number, max: number): number[] | undefined {
    const value = this.entry.quantiles;
    if (value === undefined) return undefined;
    const field = this.name('quantiles');
    if (!Array.isArray(value) || value.length < 2 || value.length > MAX_QUANTILES)
      throw this.fail(field, `is ${describe(value)}, not a list of 2 to ${MAX_QUANTILES} numbers`);
    value.forEach((q, i) => {
      if (typeof q !== 'number' || !Number.isFinite(q))
        throw this.fail(`${field}[${i}]`, `is ${describe(q)}, not a finite number`);
      if (i > 0 && q < (value[i - 1] as number))
        throw this.fail(`${field}[${i}]`, `is ${q}, below the one before it: quantiles do not decrease`);
    });
    if (value[0] !== min || value[value.length - 1] !== max)
      throw this.fail(
        field,
        `runs from ${value[0]} to ${value[value.length - 1]}, not from "min" ${min} to "max" ${max}`,
      );
    return value as number[];
  }

  categories(numericLabels: boolean): string[] {
    const value = this.entry.categories;
    const field = this.name('categories');
    if (!Array.isArray(value) || value.length === 0 || value.length > MAX_CATEGORIES)
      throw this.fail(field, `is ${describe(value)}, not a list of 1 to ${MAX_CATEGORIES} categories`);
    const seen = new Set<string>();
    return value.map((item, i) => {
      if (typeof item !== 'string' && !(typeof item === 'number' && Number.isFinite(item)))
        throw this.fail(`${field}[${i}]`, `is ${describe(item)}, not a text or a number`);
      const text = String(item);
      // Integer-coded categories compare as numbers ("1.0" = "1"), as the table's levels do.
      const label = numericLabels && isNumberText(text) ? canonicalNumberText(text) : text;
      if (seen.has(label)) throw this.fail(`${field}[${i}]`, `repeats the category ${JSON.stringify(label)}`);
      seen.add(label);
      return label;
    });
  }
}
