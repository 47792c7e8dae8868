/**
 * The shape a saved CTGAN's model.json must have before anything is built from it: a damaged or
 * hand-edited file (a span past the row, a level code a column lacks, counts that do not fit the
 * discrete spans) would otherwise decode into wrong columns without a word.
 */
import { inputError } from '../../core/errors.js';
import type { ColumnKind } from '../../core/table.js';

const KINDS: readonly ColumnKind[] = ['numeric', 'datetime', 'categorical'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIndex = (v: unknown, length: number): v is number =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) < length;
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const count = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/** Throws an input error naming the first thing in `file` that a saved CTGAN cannot have. */
export function checkCtganFile(file: unknown, path: string): void {
  const problem = firstProblem(file);
  if (problem)
    throw inputError(`${path} is not a valid saved model: ${problem}`, 'Save the model again with --save-model.');
}

function firstProblem(file: unknown): string | null {
  if (!isObject(file)) return 'it is not a JSON object';
  const columns = file.columns;
  if (!Array.isArray(columns) || columns.length === 0) return '"columns" is not a non-empty list';
  for (const [i, c] of columns.entries()) {
    if (!isObject(c) || typeof c.name !== 'string' || !KINDS.includes(c.kind as ColumnKind))
      return `columns[${i}] is not {name, kind}`;
    if (c.kind === 'categorical' && (!Array.isArray(c.levels) || c.levels.some((l) => typeof l !== 'string')))
      return `columns[${i}].levels is not a list of strings`;
  }
  const layout = file.layout;
  if (!isObject(layout) || !Array.isArray(layout.spans) || !Array.isArray(layout.numeric))
    return '"layout" is missing its spans or numeric parts';
  if (!Array.isArray(layout.categorical) || !Array.isArray(layout.discreteSpans))
    return '"layout" is missing its categorical parts or discrete spans';
  if (layout.columnCount !== columns.length) return `layout.columnCount is not ${columns.length}`;
  const spans = layout.spans as unknown[];
  let width = 0;
  for (const [i, span] of spans.entries()) {
    if (!isObject(span) || span.start !== width || !(count(span.size) && span.size > 0))
      return `layout.spans[${i}] does not follow the span before it`;
    if (span.activation !== 'tanh' && span.activation !== 'softmax') return `layout.spans[${i}].activation is unknown`;
    width += span.size;
  }
  if (layout.width !== width) return `layout.width is not the spans' ${width} columns`;
  const spanOk = (s: unknown, activation: string, size?: number) =>
    isIndex(s, spans.length) &&
    (spans[s] as { activation: string }).activation === activation &&
    (size === undefined || (spans[s] as { size: number }).size === size);
  for (const [i, part] of (layout.numeric as unknown[]).entries()) {
    const where = `layout.numeric[${i}]`;
    if (!isObject(part) || !isIndex(part.column, columns.length) || columns[part.column].kind === 'categorical')
      return `${where}.column is not a numeric column`;
    const modes = part.modes;
    if (!Array.isArray(modes) || modes.some((m) => !isObject(m) || !finite(m.mean) || !(finite(m.sd) && m.sd > 0)))
      return `${where}.modes is not a list of {mean, sd > 0}`;
    if (!finite(part.min) || !finite(part.max) || !finite(part.step))
      return `${where} has a bound or step that is not a number`;
    if (modes.length > 0 && !(spanOk(part.valueSpan, 'tanh', 1) && spanOk(part.modeSpan, 'softmax', modes.length)))
      return `${where} points at spans that do not fit its modes`;
    if (part.missingSpan !== -1 && !spanOk(part.missingSpan, 'softmax', 2))
      return `${where}.missingSpan is not a span of 2`;
  }
  for (const [i, part] of (layout.categorical as unknown[]).entries()) {
    const where = `layout.categorical[${i}]`;
    if (!isObject(part) || !isIndex(part.column, columns.length) || columns[part.column].kind !== 'categorical')
      return `${where}.column is not a categorical column`;
    const levels = (columns[part.column] as { levels: string[] }).levels.length;
    if (!Array.isArray(part.codes) || part.codes.some((code) => !(code === -1 || isIndex(code, levels))))
      return `${where}.codes names a level the column does not have`;
    if (!spanOk(part.span, 'softmax', part.codes.length)) return `${where}.span does not fit its codes`;
  }
  const discrete = layout.discreteSpans as unknown[];
  if (discrete.some((s) => !spanOk(s, 'softmax'))) return 'layout.discreteSpans names a span that is not a one-hot';
  const counts = file.category_counts;
  if (
    !Array.isArray(counts) ||
    counts.length !== discrete.length ||
    counts.some(
      (c, j) =>
        !Array.isArray(c) ||
        c.length !== (spans[discrete[j] as number] as { size: number }).size ||
        !c.some((n) => n > 0) ||
        c.some((n) => !count(n)),
    )
  )
    return '"category_counts" is not a list of row counts per discrete span';
  if (file.training !== null && file.training !== undefined && !isObject(file.training))
    return '"training" is not an object';
  return null;
}
