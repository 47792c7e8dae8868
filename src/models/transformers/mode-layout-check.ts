/**
 * The shape a saved mode layout must have before a model decodes with it: a damaged or
 * hand-edited file would otherwise decode into wrong columns, or index past its rows.
 */
import type { ColumnTemplate } from '../column-template.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIndex = (v: unknown, length: number): v is number =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) < length;
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const ROLES = ['value', 'mode', 'category', 'missing-indicator'];
const KINDS = ['numeric', 'datetime', 'categorical'];

/** The first thing wrong with a saved column list, or null. */
export function columnsProblem(columns: unknown): string | null {
  if (!Array.isArray(columns) || columns.length === 0) return '"columns" is not a non-empty list';
  for (const [i, c] of columns.entries()) {
    if (!isObject(c) || typeof c.name !== 'string' || !KINDS.includes(c.kind as string))
      return `columns[${i}] is not {name, kind}`;
    if (c.kind === 'categorical' && (!Array.isArray(c.levels) || c.levels.some((l) => typeof l !== 'string')))
      return `columns[${i}].levels is not a list of strings`;
    const repeated = c.kind === 'categorical' ? repeatedLevel(c.levels as string[]) : undefined;
    // Two codes with one value would sample that value at the two codes' summed rate, and conditions would miss one.
    if (repeated !== undefined) return `columns[${i}].levels names ${JSON.stringify(repeated)} more than once`;
  }
  return null;
}

/** A level that occurs twice in a saved level list, or undefined. */
export function repeatedLevel(levels: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const level of levels) {
    if (seen.has(level)) return level;
    seen.add(level);
  }
  return undefined;
}

/** The first thing wrong with `layout` for these columns, or null. */
export function modeLayoutProblem(layout: unknown, columns: ColumnTemplate[]): string | null {
  if (!isObject(layout) || !Array.isArray(layout.spans) || !Array.isArray(layout.numeric))
    return '"layout" is missing its spans or numeric parts';
  if (!Array.isArray(layout.categorical) || !Array.isArray(layout.discreteSpans))
    return '"layout" is missing its categorical parts';
  if (layout.columnCount !== columns.length) return `layout.columnCount is not ${columns.length}`;
  let at = 0;
  for (const [i, span] of layout.spans.entries()) {
    const where = `layout.spans[${i}]`;
    if (!isObject(span) || span.start !== at || !Number.isInteger(span.size) || (span.size as number) < 1)
      return `${where} does not follow the span before it`;
    if (!isIndex(span.column, columns.length) || !ROLES.includes(span.role as string))
      return `${where} has no column index or role`;
    if (span.activation !== (span.role === 'value' ? 'tanh' : 'softmax')) return `${where}.activation does not fit`;
    at += span.size as number;
  }
  if (layout.width !== at) return `layout.width is not ${at}`;
  const spans = layout.spans as Record<string, unknown>[];
  const spanFor = (index: unknown, column: number, role: string, size?: number) =>
    isIndex(index, spans.length) &&
    spans[index].column === column &&
    spans[index].role === role &&
    (size === undefined || spans[index].size === size);
  for (const [i, part] of layout.numeric.entries()) {
    const where = `layout.numeric[${i}]`;
    if (!isObject(part) || !isIndex(part.column, columns.length) || columns[part.column].kind === 'categorical')
      return `${where}.column is not a numeric column`;
    const modes = part.modes;
    if (!Array.isArray(modes) || modes.some((m) => !isObject(m) || !finite(m.mean) || !finite(m.sd) || m.sd <= 0))
      return `${where}.modes is not a list of finite means and positive sds`;
    if (!finite(part.min) || !finite(part.max) || part.min > part.max || !finite(part.step) || part.step < 0)
      return `${where} has no range or step`;
    const spansOk =
      modes.length === 0
        ? part.valueSpan === -1 && part.modeSpan === -1 && part.missingSpan === -1
        : spanFor(part.valueSpan, part.column, 'value', 1) &&
          spanFor(part.modeSpan, part.column, 'mode', modes.length) &&
          (part.missingSpan === -1 || spanFor(part.missingSpan, part.column, 'missing-indicator', 2));
    if (!spansOk) return `${where} points at spans it does not own`;
  }
  for (const [i, part] of layout.categorical.entries()) {
    const where = `layout.categorical[${i}]`;
    if (!isObject(part) || !isIndex(part.column, columns.length)) return `${where}.column is not a column index`;
    const levels = columns[part.column].levels;
    if (!levels || !Array.isArray(part.codes) || part.codes.some((c) => !(c === -1 || isIndex(c, levels.length))))
      return `${where}.codes names a level the column does not have`;
    if (!spanFor(part.span, part.column, 'category', part.codes.length)) return `${where}.span does not fit`;
  }
  return null;
}
