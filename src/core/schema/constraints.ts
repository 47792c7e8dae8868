/**
 * The metadata file's constraints (SPEC section 9): rules every synthetic row must hold, enforced
 * by rejection when sampling (src/pipeline/constrained-sampling.ts). One list at the top level:
 *
 *   "constraints": [
 *     { "type": "positive", "column": "age" },                      <- age >= 0 ("strict": true: > 0)
 *     { "type": "range", "column": "age", "min": 0, "max": 120 },   <- either bound may be left out
 *     { "type": "inequality", "low": "start", "high": "end" },      <- start <= end ("strict": true: <)
 *     { "type": "fixed_combinations", "columns": ["city", "country"] } ]
 *
 * A fixed combination allows only the combinations of the training rows, or those it lists
 * ("combinations": [["Paris", "France"], ...], null for a missing value), which makes them public.
 * A missing number holds every numeric constraint, as in SDV: missingness is the column's own matter.
 */
import type { ColumnMetadata, MetadataKind } from './metadata.js';
import { describeJson, isoText } from './metadata-text.js';
import { parseIsoDate } from './values.js';

export const CONSTRAINT_TYPES = ['positive', 'range', 'inequality', 'fixed_combinations'] as const;
export type ConstraintType = (typeof CONSTRAINT_TYPES)[number];

/** Where a constraint was written, for errors found after parsing: the file and `constraints[i]`. */
export interface ConstraintSource {
  readonly file: string;
  readonly key: string;
}

interface Base {
  /** Absent where the library's caller built the constraint. */
  readonly source?: ConstraintSource;
  /** A remark for the reviewer; never read. */
  readonly note?: string;
}

/** column >= 0, or > 0 when strict. */
export interface PositiveConstraint extends Base {
  readonly type: 'positive';
  readonly column: string;
  readonly strict?: boolean;
}

/** min <= column <= max (either bound optional; < when strict). Dates in seconds; `dates`: written as ISO 8601. */
export interface RangeConstraint extends Base {
  readonly type: 'range';
  readonly column: string;
  readonly min?: number;
  readonly max?: number;
  readonly strict?: boolean;
  readonly dates?: boolean;
}

/** low <= high across two columns of the same kind (< when strict). */
export interface InequalityConstraint extends Base {
  readonly type: 'inequality';
  readonly low: string;
  readonly high: string;
  readonly strict?: boolean;
}

/** Only these combinations of the columns' values (null: missing); absent: those of the training rows. */
export interface FixedCombinationsConstraint extends Base {
  readonly type: 'fixed_combinations';
  readonly columns: readonly string[];
  readonly combinations?: readonly (readonly (string | null)[])[];
}

export type Constraint = PositiveConstraint | RangeConstraint | InequalityConstraint | FixedCombinationsConstraint;

const KEYS: Record<ConstraintType, readonly string[]> = {
  positive: ['type', 'column', 'strict', 'note'],
  range: ['type', 'column', 'min', 'max', 'strict', 'note'],
  inequality: ['type', 'low', 'high', 'strict', 'note'],
  fixed_combinations: ['type', 'columns', 'combinations', 'note'],
};
const MAX_CONSTRAINTS = 1000;
const MAX_COMBINATIONS = 100_000;
const NUMBER_KINDS: readonly MetadataKind[] = ['numeric', 'integer'];
const CATEGORY_KINDS: readonly MetadataKind[] = ['categorical', 'boolean'];

type Doc = Record<string, unknown>;
type Fail = (key: string, problem: string, hint?: string) => Error;

const HINT =
  'Write constraints as [{"type": "positive", "column": "age"}, {"type": "range", "column": "age", "min": 0, "max": 120}, {"type": "inequality", "low": "start", "high": "end"}, {"type": "fixed_combinations", "columns": ["city", "country"]}].';

/**
 * The "constraints" list, checked against the kinds the file declares; columns it does not declare
 * are checked against the table later (`checkConstraintKinds`).
 */
export function parseConstraints(
  value: unknown,
  columns: ReadonlyMap<string, ColumnMetadata>,
  file: string,
  fail: Fail,
): Constraint[] {
  if (!Array.isArray(value) || value.length > MAX_CONSTRAINTS)
    throw fail('constraints', `is ${describeJson(value)}, not a list of up to ${MAX_CONSTRAINTS} constraints`, HINT);
  return value.map((entry, i) => {
    const key = `constraints[${i}]`;
    const refuse = (field: string, problem: string): never => {
      throw fail(field ? `${key}.${field}` : key, problem, HINT);
    };
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      return refuse('', `is ${describeJson(entry)}, not an object with "type"`);
    return readConstraint(entry as Doc, { file, key }, columns, refuse);
  });
}

function readConstraint(
  doc: Doc,
  source: ConstraintSource,
  declared: ReadonlyMap<string, ColumnMetadata>,
  refuse: (field: string, problem: string) => never,
): Constraint {
  const type = doc.type;
  if (typeof type !== 'string' || !(CONSTRAINT_TYPES as readonly string[]).includes(type))
    return refuse('type', `is ${describeJson(type)}, not one of ${CONSTRAINT_TYPES.join(', ')}`);
  const allowed = KEYS[type as ConstraintType];
  for (const field of Object.keys(doc))
    if (!allowed.includes(field)) refuse(field, `is not a key of ${type} constraints (${allowed.join(', ')})`);
  const column = (field: string, value: unknown = doc[field]): string => {
    if (typeof value !== 'string' || value === '') return refuse(field, `is ${describeJson(value)}, not a column name`);
    return value;
  };
  const kind = (name: string) => declared.get(name)?.kind;
  // A column the file declares of another kind is refused here; undeclared ones when the table is typed.
  const expect = (field: string, name: string, kinds: readonly MetadataKind[], what: string) => {
    const k = kind(name);
    if (k && !kinds.includes(k)) refuse(field, `names '${name}', declared ${k}: ${type} constraints take ${what}`);
  };
  const strict = optionalBoolean(doc.strict, refuse);
  const note =
    doc.note === undefined ? undefined : typeof doc.note === 'string' ? doc.note : refuse('note', 'is not a text');
  const extra = { source, ...(strict ? { strict } : {}), ...(note !== undefined ? { note } : {}) };
  if (type === 'positive') {
    const name = column('column');
    expect('column', name, NUMBER_KINDS, 'a numeric or integer column');
    return { type, column: name, ...extra };
  }
  if (type === 'range') {
    const name = column('column');
    const dates = isDate(doc.min) || isDate(doc.max) || kind(name) === 'datetime';
    expect('column', name, dates ? ['datetime'] : [...NUMBER_KINDS, 'datetime'], 'a numeric, integer or date column');
    if (doc.min === undefined && doc.max === undefined) refuse('', 'has neither "min" nor "max"');
    const min = bound(doc.min, dates, (p) => refuse('min', p));
    const max = bound(doc.max, dates, (p) => refuse('max', p));
    if (min !== undefined && max !== undefined && !(min < max)) refuse('min', `is ${min}, not below "max" ${max}`);
    const written = isDate(doc.min) || isDate(doc.max);
    return {
      type,
      column: name,
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
      ...(written ? { dates: true } : {}),
      ...extra,
    };
  }
  if (type === 'inequality') {
    const [low, high] = [column('low'), column('high')];
    if (low === high) refuse('high', `names '${high}' as "low" does: an inequality compares two columns`);
    for (const [field, name] of [
      ['low', low],
      ['high', high],
    ])
      expect(field, name, [...NUMBER_KINDS, 'datetime'], 'numeric, integer or date columns');
    const [a, b] = [kind(low), kind(high)];
    if (a && b && (a === 'datetime') !== (b === 'datetime'))
      refuse('high', `names '${high}', declared ${b}, against '${low}', declared ${a}: both must be dates, or neither`);
    return { type, low, high, ...extra };
  }
  const list = doc.columns;
  if (!Array.isArray(list) || list.length < 2)
    return refuse('columns', `is ${describeJson(list)}, not a list of two or more column names`);
  const names = list.map((name, j) => column(`columns[${j}]`, name));
  names.forEach((name, j) => {
    if (names.indexOf(name) !== j) refuse(`columns[${j}]`, `repeats '${name}'`);
    expect(`columns[${j}]`, name, CATEGORY_KINDS, 'categorical or boolean columns');
  });
  const combinations = doc.combinations === undefined ? undefined : readCombinations(doc.combinations, names, refuse);
  return { type: 'fixed_combinations', columns: names, ...(combinations ? { combinations } : {}), ...extra };
}

function readCombinations(
  value: unknown,
  columns: readonly string[],
  refuse: (field: string, problem: string) => never,
): (string | null)[][] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_COMBINATIONS)
    return refuse('combinations', `is ${describeJson(value)}, not a list of 1 to ${MAX_COMBINATIONS} combinations`);
  return value.map((combination, j) => {
    const key = `combinations[${j}]`;
    if (!Array.isArray(combination) || combination.length !== columns.length)
      return refuse(
        key,
        `is ${describeJson(combination)}, not a list of ${columns.length} values (${columns.join(', ')})`,
      );
    return combination.map((item, k) => {
      if (item === null) return null;
      if (typeof item === 'string' || typeof item === 'boolean' || (typeof item === 'number' && Number.isFinite(item)))
        return String(item);
      return refuse(`${key}[${k}]`, `is ${describeJson(item)}, not a text, a number or null`);
    });
  });
}

const isDate = (value: unknown): boolean => typeof value === 'string' && !Number.isNaN(parseIsoDate(value));

function bound(value: unknown, date: boolean, refuse: (problem: string) => never): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (date && isDate(value)) return parseIsoDate(value as string);
  return refuse(`is ${describeJson(value)}, not a finite number${date ? ' or an ISO 8601 date' : ''}`);
}

function optionalBoolean(value: unknown, refuse: (field: string, problem: string) => never): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  return refuse('strict', `is ${describeJson(value)}, not true or false`);
}

/** The columns a constraint names, each with its key in the file. */
export function constraintColumns(constraint: Constraint): { readonly name: string; readonly field: string }[] {
  switch (constraint.type) {
    case 'positive':
    case 'range':
      return [{ name: constraint.column, field: 'column' }];
    case 'inequality':
      return [
        { name: constraint.low, field: 'low' },
        { name: constraint.high, field: 'high' },
      ];
    case 'fixed_combinations':
      return constraint.columns.map((name, j) => ({ name, field: `columns[${j}]` }));
  }
}

/** The constraint in the file's format (dates as ISO 8601 text where it was written so). */
export function constraintJson(constraint: Constraint): Record<string, unknown> {
  const { source: _source, dates, ...rest } = constraint as RangeConstraint & Base;
  const entry: Record<string, unknown> = { ...rest };
  if (constraint.type === 'range' && dates) {
    if (constraint.min !== undefined) entry.min = isoText(constraint.min);
    if (constraint.max !== undefined) entry.max = isoText(constraint.max);
  }
  return entry;
}

/** One line a person reads: "0 <= age <= 120", "start < end", "fixed combinations of city, country". */
export function describeConstraint(constraint: Constraint): string {
  const op = constraint.type !== 'fixed_combinations' && constraint.strict ? '<' : '<=';
  switch (constraint.type) {
    case 'positive':
      return `${constraint.column} ${constraint.strict ? '>' : '>='} 0`;
    case 'range': {
      const show = (x: number) => (constraint.dates ? isoText(x) : String(x));
      return [
        ...(constraint.min !== undefined ? [`${show(constraint.min)} ${op}`] : []),
        constraint.column,
        ...(constraint.max !== undefined ? [`${op} ${show(constraint.max)}`] : []),
      ].join(' ');
    }
    case 'inequality':
      return `${constraint.low} ${op} ${constraint.high}`;
    case 'fixed_combinations':
      return `fixed combinations of ${constraint.columns.join(', ')}`;
  }
}
