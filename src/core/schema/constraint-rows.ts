/**
 * The metadata file's constraints bound to the table a model learns: each column present and of a
 * kind the constraint takes, fixed combinations given the set they allow, and a test per row of a
 * sampled batch. Errors name the file and the constraint's key, as the parser's do.
 */
import { CELL_SEPARATOR, canonicalCell } from '../row-digest.js';
import { inputError, unknownNameHint, usageError } from '../errors.js';
import { isCategorical, type CategoricalColumn, type Column, type NumericColumn, type Table } from '../table.js';
import { constraintColumns, describeConstraint, type Constraint } from './constraints.js';

export interface BoundConstraint {
  readonly constraint: Constraint;
  /** fixed_combinations: the combinations allowed (null: missing), and where they came from. */
  readonly combinations?: readonly (readonly (string | null)[])[];
  readonly combinationsFrom?: 'metadata file' | 'training rows';
}

export interface BindContext {
  /**
   * The rows the model learns, typed as it learns them: fixed combinations without a list take
   * theirs. Absent under DP, where reading them would fall outside the budget.
   */
  readonly train?: Table;
  /** Columns set aside before training (identifiers, personal data): never sampled. */
  readonly setAside: readonly string[];
}

/** `where(c, field)`: the file and key, as `file: "constraints[0].column"`. */
const where = (c: Constraint, field = ''): string =>
  `${c.source?.file ?? 'the metadata'}: "${c.source?.key ?? 'constraints'}${field ? `.${field}` : ''}"`;

/**
 * Binds the constraints before training. Without `train` (DP) a fixed combination must list its
 * combinations (exit 2 otherwise) and kinds wait for `checkConstraintKinds` on the released ones.
 */
export function bindConstraints(
  constraints: readonly Constraint[] | undefined,
  context: BindContext,
): BoundConstraint[] {
  return (constraints ?? []).map((constraint) => {
    for (const { name, field } of constraintColumns(constraint))
      if (context.setAside.includes(name))
        throw inputError(
          `${where(constraint, field)} names '${name}', an identifier or personal-data column set aside before training: it is never sampled, so no constraint can hold on it`,
          `Remove the constraint, or declare '${name}' with the kind it has (numeric, categorical, ...) in the metadata file if it carries information to learn.`,
        );
    if (context.train) checkKinds(constraint, context.train);
    if (constraint.type !== 'fixed_combinations') return { constraint };
    if (constraint.combinations) {
      if (context.train) checkListed(constraint, constraint.combinations, context.train);
      return { constraint, combinations: constraint.combinations, combinationsFrom: 'metadata file' };
    }
    if (!context.train)
      throw usageError(
        `${where(constraint)}: under DP the ${describeConstraint(constraint)} cannot be read from the private rows: that read is outside the privacy budget`,
        `List the combinations allowed in the file ("combinations": [["Paris", "France"], ...]), which declares them public, or remove the constraint.`,
      );
    return {
      constraint,
      combinations: seenCombinations(constraint.columns, context.train),
      combinationsFrom: 'training rows',
    };
  });
}

/** Each constraint's columns against a typed table: present, and of a kind the constraint takes (exit 3). */
export function checkConstraintKinds(bound: readonly BoundConstraint[], table: Table): void {
  for (const { constraint } of bound) checkKinds(constraint, table);
}

function checkKinds(constraint: Constraint, table: Table): void {
  const names = table.columns.map((c) => c.name);
  const columns = constraintColumns(constraint).map(({ name, field }) => {
    const column = table.columns.find((c) => c.name === name);
    if (!column)
      throw inputError(
        `${where(constraint, field)} names '${name}', which the model has no column of`,
        unknownNameHint(name, names),
      );
    return { column, field };
  });
  const refuse = (field: string, column: Column, wants: string): never => {
    throw inputError(
      `${where(constraint, field)} names '${column.name}', a ${column.kind} column: ${constraint.type} constraints take ${wants}`,
      column.kind === 'categorical'
        ? `Declare '${column.name}' "kind": "numeric" (or "integer", "datetime") in the metadata file if its values are numbers, or remove the constraint.`
        : `Name a column of that kind, or remove the constraint.`,
    );
  };
  switch (constraint.type) {
    case 'positive':
      for (const { column, field } of columns) if (column.kind !== 'numeric') refuse(field, column, 'a numeric column');
      return;
    case 'range':
      for (const { column, field } of columns)
        if (constraint.dates ? column.kind !== 'datetime' : isCategorical(column))
          refuse(field, column, constraint.dates ? 'a date column (its bounds are dates)' : 'a numeric or date column');
      return;
    case 'inequality': {
      for (const { column, field } of columns)
        if (isCategorical(column)) refuse(field, column, 'numeric or date columns');
      const [low, high] = columns;
      if (low.column.kind !== high.column.kind)
        refuse('high', high.column, `two columns of one kind, and '${low.column.name}' is ${low.column.kind}`);
      return;
    }
    case 'fixed_combinations':
      for (const { column, field } of columns)
        if (!isCategorical(column))
          refuse(field, column, 'categorical columns (bound numbers with range or inequality)');
  }
}

/** Outside DP a listed value must be a level of its column: a typo would allow nothing it meant to. */
function checkListed(
  constraint: Constraint,
  combinations: readonly (readonly (string | null)[])[],
  train: Table,
): void {
  const columns = constraintColumns(constraint).map(({ name }) => train.columns.find((c) => c.name === name)!);
  combinations.forEach((combination, j) =>
    combination.forEach((value, k) => {
      const column = columns[k];
      if (value === null || !isCategorical(column) || matchLevel(value, column.levels) !== undefined) return;
      throw inputError(
        `${where(constraint, `combinations[${j}][${k}]`)} is ${JSON.stringify(value)}, which '${column.name}' never holds`,
        unknownNameHint(value, column.levels).replace('Valid names', 'Its values'),
      );
    }),
  );
}

/** The level text a value names: itself, or the level that is the same number or date ("1.0" is "1"). */
function matchLevel(value: string, levels: readonly string[]): string | undefined {
  if (levels.includes(value)) return value;
  const canonical = canonicalCell(value);
  return canonical === '' ? undefined : levels.find((level) => canonicalCell(level) === canonical);
}

/** The distinct combinations of the columns' values in the rows, missing as null. */
function seenCombinations(names: readonly string[], table: Table): (string | null)[][] {
  const columns = names.map((name) => table.columns.find((c) => c.name === name)!);
  const seen = new Map<string, (string | null)[]>();
  for (let r = 0; r < table.rowCount; r++) {
    const combination = columns.map((c) => {
      const code = isCategorical(c) ? c.codes[r] : -1;
      return code < 0 ? null : (c as CategoricalColumn).levels[code];
    });
    const key = combinationKey(combination);
    if (!seen.has(key)) seen.set(key, combination);
  }
  return [...seen.values()];
}

const MISSING_KEY = '\u0000';
const combinationKey = (values: readonly (string | null)[]): string =>
  values.map((v) => v ?? MISSING_KEY).join(CELL_SEPARATOR);

/**
 * Whether row `r` of a sampled batch holds the constraint. A missing number holds every numeric
 * constraint (as in SDV); kinds are checked against the batch first (a loaded DP model's columns
 * are typed by its release, known only now).
 */
export function rowTest(bound: BoundConstraint, batch: Table): (row: number) => boolean {
  const { constraint } = bound;
  checkKinds(constraint, batch);
  const column = (name: string) => batch.columns.find((c) => c.name === name)!;
  const numbers = (name: string) => (column(name) as NumericColumn).values;
  switch (constraint.type) {
    case 'positive': {
      const values = numbers(constraint.column);
      return constraint.strict ? (r) => !(values[r] <= 0) : (r) => !(values[r] < 0);
    }
    case 'range': {
      const values = numbers(constraint.column);
      const { min = -Infinity, max = Infinity, strict } = constraint;
      // Written as "not outside" so that NaN (missing) holds.
      return strict ? (r) => !(values[r] <= min || values[r] >= max) : (r) => !(values[r] < min || values[r] > max);
    }
    case 'inequality': {
      const [low, high] = [numbers(constraint.low), numbers(constraint.high)];
      return constraint.strict ? (r) => !(low[r] >= high[r]) : (r) => !(low[r] > high[r]);
    }
    case 'fixed_combinations': {
      const columns = constraint.columns.map((name) => column(name) as CategoricalColumn);
      // Listed values take the batch's level texts, so "1.0" in the file matches the level "1".
      const allowed = new Set(
        (bound.combinations ?? []).map((combination) =>
          combinationKey(combination.map((v, k) => (v === null ? null : (matchLevel(v, columns[k].levels) ?? v)))),
        ),
      );
      return (r) => allowed.has(combinationKey(columns.map((c) => (c.codes[r] < 0 ? null : c.levels[c.codes[r]]))));
    }
  }
}
