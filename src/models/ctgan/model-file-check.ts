/**
 * The shape a saved CTGAN's model.json must have before anything is built from it: a damaged or
 * hand-edited file (a span past the row, a level code a column lacks, counts that do not fit the
 * discrete spans) would otherwise decode into wrong columns without a word.
 */
import { savedModelError } from '../saved-file.js';
import type { ColumnTemplate } from '../column-template.js';
import { columnsProblem, modeLayoutProblem } from '../transformers/mode-layout-check.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIndex = (v: unknown, length: number): v is number =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) < length;
const count = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/** Throws an input error naming the first thing in `file` that a saved CTGAN cannot have. */
export function checkCtganFile(file: unknown, path: string): void {
  const problem = firstProblem(file);
  if (problem) throw savedModelError(`${path} is not a valid saved model: ${problem}`);
}

function firstProblem(file: unknown): string | null {
  if (!isObject(file)) return 'it is not a JSON object';
  const problem = columnsProblem(file.columns) ?? modeLayoutProblem(file.layout, file.columns as ColumnTemplate[]);
  if (problem) return problem;
  const layout = file.layout as { spans: { size: number; activation: string }[]; discreteSpans: unknown[] };
  const spans = layout.spans;
  const spanOk = (s: unknown, activation: string) => isIndex(s, spans.length) && spans[s].activation === activation;
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
