/**
 * The shape a saved AIM model's model.json must have before anything is built from it: a damaged
 * or hand-edited file would otherwise sample from the wrong cells or decode into wrong values
 * without a word.
 */
import { savedModelError } from '../saved-file.js';

const KINDS = ['numeric', 'datetime', 'categorical'];
/** More fine-grid leaves than any fit makes (it keeps 1,024 per column). */
const MAX_GRID_LEAVES = 2 ** 20;
/** JavaScript's date range, in seconds either side of 1970. */
const MAX_DATE_SECONDS = 8.64e12;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const finiteList = (v: unknown): v is number[] => Array.isArray(v) && v.every(finite);
const ascending = (v: number[], strict: boolean) =>
  v.every((x, i) => i === 0 || (strict ? x > v[i - 1] : x >= v[i - 1]));

/** Throws an input error naming the first thing in `file` that a saved AIM model cannot have. */
export function checkAimFile(file: unknown, path: string): void {
  const problem = firstProblem(file);
  if (problem) throw savedModelError(`${path} is not a valid saved model: ${problem}`);
}

function firstProblem(file: unknown): string | null {
  if (!isObject(file)) return 'it is not a JSON object';
  const { columns, coders, potentials, total } = file;
  if (!Array.isArray(columns) || columns.length === 0) return '"columns" is not a non-empty list';
  if (!Array.isArray(coders) || coders.length !== columns.length) return '"coders" is not one coder per column';
  const sizes: number[] = [];
  for (const [j, column] of columns.entries()) {
    if (!isObject(column) || typeof column.name !== 'string' || !KINDS.includes(column.kind as string))
      return `columns[${j}] is not {name, kind}`;
    const problem = coderProblem(coders[j], column);
    if (problem) return `coders[${j}]${problem}`;
    sizes.push(binsOf(coders[j] as Record<string, unknown>));
  }
  if (!finite(total) || total <= 0) return '"total" is not a positive number';
  if (!Array.isArray(potentials) || potentials.length === 0) return '"potentials" is not a non-empty list';
  for (const [k, p] of potentials.entries()) {
    if (!isObject(p) || !finiteList(p.clique) || !p.clique.length) return `potentials[${k}].clique is not a list`;
    const clique = p.clique;
    if (!clique.every((a) => Number.isInteger(a) && a >= 0 && a < sizes.length) || !ascending(clique, true))
      return `potentials[${k}].clique is not ascending column indices`;
  }
  if (file.training !== null && file.training !== undefined && !trainingShape(file.training))
    return '"training" is not a training summary';
  return null;
}

function coderProblem(coder: unknown, column: Record<string, unknown>): string | null {
  if (!isObject(coder) || typeof coder.missing !== 'boolean') return ' is not a coder';
  if (coder.name !== column.name) return ` is for column ${String(coder.name)}, not ${String(column.name)}`;
  if (coder.kind === 'categorical') {
    if (column.kind !== 'categorical') return ' is categorical for a numeric column';
    if (!Array.isArray(coder.levels) || coder.levels.some((l) => typeof l !== 'string'))
      return '.levels is not a list of strings';
    // A level listed twice would merge two categories; the column's list must be the coder's own.
    if (new Set(coder.levels).size !== coder.levels.length) return '.levels lists a level twice';
    if (JSON.stringify(column.levels) !== JSON.stringify(coder.levels)) return ".levels differ from its column's";
    return null;
  }
  if (coder.kind !== 'numeric' || coder.columnKind !== column.kind) return ' does not match its column kind';
  const { min, max, step, points, cuts, grid, weights } = coder;
  if (!finite(min) || !finite(max) || min > max) return '.min/.max are not numbers with min <= max';
  if (!finite(step) || step < 0) return '.step is not a number >= 0';
  if (!finiteList(points) || !ascending(points, true)) return '.points is not an ascending list of numbers';
  if (cuts !== null && (!finiteList(cuts) || !ascending(cuts, true))) return '.cuts is not null or ascending numbers';
  if (!isObject(grid) || !finite(grid.start) || !finite(grid.width) || !(grid.width > 0))
    return '.grid is not {start, width > 0, count}';
  if (!Number.isInteger(grid.count) || (grid.count as number) < 1) return '.grid.count is not a whole number >= 1';
  if (!finiteList(weights) || weights.some((w) => w < 0)) return '.weights is not a list of numbers >= 0';
  if (cuts !== null && weights.length !== grid.count) return '.weights is not one weight per leaf';
  const tails = coder.tails;
  if (!finiteList(tails) || tails.some((w) => w < 0) || (cuts !== null && tails.length !== grid.count))
    return '.tails is not one weight >= 0 per leaf';
  if (cuts === null && points.length === 0) return ' has neither point bins nor range bins';
  // The fine grid must span the range bins: a grid far off (or cells far too fine) decodes nothing.
  const end = (grid.start as number) + (grid.width as number) * (grid.count as number);
  if (cuts !== null && !(Number.isFinite(end) && (grid.count as number) <= MAX_GRID_LEAVES))
    return '.grid does not span a finite range of at most 1,048,576 leaves';
  if (cuts !== null && cuts.some((c) => c < (grid.start as number) || c > end)) return '.cuts lie outside its grid';
  if (column.kind === 'datetime' && [min, max, ...points].some((v) => Math.abs(v) > MAX_DATE_SECONDS))
    return ' holds dates outside the range a date can have';
  return null;
}

function binsOf(coder: Record<string, unknown>): number {
  const missing = coder.missing ? 1 : 0;
  if (coder.kind === 'categorical') return (coder.levels as string[]).length + missing;
  const cuts = coder.cuts as number[] | null;
  return (coder.points as number[]).length + (cuts ? cuts.length + 1 : 0) + missing;
}

/** The fields of a fit summary that the terminal and the report read. */
function trainingShape(training: unknown): boolean {
  if (!isObject(training)) return false;
  const numbers = ['epochsDone', 'epochs', 'stepsDone', 'seconds', 'stepsPerSecond', 'samplesPerSecond', 'threads'];
  return numbers.every((key) => finite(training[key])) && Array.isArray(training.epochLoss);
}
