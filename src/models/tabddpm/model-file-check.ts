/**
 * The shape a saved TabDDPM's model.json must have before anything is built from it: a damaged
 * or hand-edited file (a text bound, empty quantiles, a span pointing past the columns) would
 * otherwise decode into empty or wrong columns without a word.
 */
import { savedModelError } from '../saved-file.js';
import { columnsProblem } from '../transformers/mode-layout-check.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIndex = (v: unknown, length: number): v is number =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) < length;
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Throws an input error naming the first thing in `file` that a saved model cannot have. */
export function checkModelFile(file: unknown, path: string): void {
  const problem = firstProblem(file);
  if (problem) throw savedModelError(`${path} is not a valid saved model: ${problem}`);
}

function firstProblem(file: unknown): string | null {
  if (!isObject(file)) return 'it is not a JSON object';
  const columnProblem = columnsProblem(file.columns);
  if (columnProblem) return columnProblem;
  const columns = file.columns as Record<string, unknown>[];
  const layout = file.layout;
  if (!isObject(layout) || !Array.isArray(layout.numeric) || !Array.isArray(layout.spans))
    return '"layout" is missing its numeric parts or spans';
  if (layout.columnCount !== columns.length) return `layout.columnCount is not ${columns.length}`;
  for (const [i, span] of layout.spans.entries()) {
    const where = `layout.spans[${i}]`;
    if (!isObject(span) || !isIndex(span.column, columns.length)) return `${where}.column is not a column index`;
    if (!Array.isArray(span.codes) || span.codes.length === 0) return `${where}.codes is empty`;
    const column = columns[span.column];
    if (span.role === 'category') {
      if (column.kind !== 'categorical')
        return `${where} encodes a category of the non-categorical column ${String(column.name)}`;
      if (span.codes.some((code) => !(code === -1 || isIndex(code, (column.levels as string[]).length))))
        return `${where}.codes names a level ${String(column.name)} does not have`;
    } else if (span.role !== 'missing-indicator') return `${where}.role is '${String(span.role)}'`;
  }
  for (const [i, part] of layout.numeric.entries()) {
    const problem = numericProblem(part, columns, layout.spans.length);
    if (problem) return `layout.numeric[${i}]${problem}`;
  }
  const shares = file.edge_shares;
  if (shares !== undefined && shares !== null) {
    if (
      !Array.isArray(shares) ||
      shares.length !== layout.numeric.length ||
      shares.some((s) => !finite(s) || s < 0 || s > 1)
    )
      return '"edge_shares" is not one share in [0, 1] per numeric column';
  }
  if (file.training !== null && file.training !== undefined && !isObject(file.training))
    return '"training" is not an object';
  return null;
}

function numericProblem(part: unknown, columns: Record<string, unknown>[], spans: number): string | null {
  if (!isObject(part) || !isIndex(part.column, columns.length)) return '.column is not a column index';
  if (columns[part.column].kind === 'categorical')
    return ` encodes the categorical column ${String(columns[part.column].name)}`;
  const q = part.quantiles;
  if (!Array.isArray(q) || q.length === 0 || q.some((v) => !finite(v)))
    return '.quantiles is not a non-empty list of numbers';
  if (q.some((v, k) => k > 0 && v < q[k - 1])) return '.quantiles decreases';
  // A column never observed in training records null bounds (JSON's NaN); otherwise both are numbers.
  const unobserved = part.min === null && part.max === null;
  if (!unobserved && (!finite(part.min) || !finite(part.max) || part.min > part.max))
    return '.min/.max are not numbers with min <= max';
  if (!finite(part.step) || part.step < 0) return '.step is not a non-negative number';
  if (!(part.missingSpan === -1 || isIndex(part.missingSpan, spans))) return '.missingSpan is not -1 or a span index';
  return null;
}
