/**
 * The figures of column-figures.ts in words: one line per sensitive column, and a warning where
 * the noise is larger than the range (a released value then says little about its row). Options
 * are named by `name` (the library's key, or the CLI's flag), never spelled here as flags.
 */
import { noiseExceedsRange, type ColumnFigures, type LaplaceFigures, type ResponseFigures } from './column-figures.js';

export interface ColumnWords {
  readonly lines: string[];
  readonly warnings: string[];
}

/** How an option is named to the reader: `(o) => o` for the library's keys, the command passes its flags. */
export type OptionName = (option: string) => string;

const num = (x: number) => String(Number(x.toPrecision(3)));
const range = ([lo, hi]: readonly [number, number]) => `${lo}..${hi}`;
const UNREAD = 'a dry run reads no data';

function laplaceLine(f: LaplaceFigures): string {
  const head = `${f.name}: Laplace noise, epsilon ${num(f.epsilon)}`;
  if (!f.bounds)
    return `${head}: bounds to be estimated at run time with epsilon ${num(f.estimationEpsilon)} (${UNREAD}), so the noise scale is not known yet; it will be ${num(f.scaleToRange)} times the estimated range${f.clamp ? ', and values clamped to those bounds' : ''}`;
  const from = f.boundsFrom === 'declared' ? 'declared' : `estimated with epsilon ${num(f.estimationEpsilon)}`;
  const clamp = f.clamp ? `; released values clamped to ${range(f.bounds)}` : '';
  return `${head}: scale ${num(f.scale!)} on bounds ${range(f.bounds)} (${from}); half the values move by more than ${num(f.medianNoise!)}${clamp}`;
}

function responseLine(f: ResponseFigures, clamp: boolean, name: OptionName): string {
  const head = `${f.name}: randomized response, epsilon ${num(f.epsilon)}`;
  // A category is released as itself or another category: a clamp has nothing to act on.
  const note = clamp ? `; ${name('clamp')} does not apply to categories` : '';
  if (f.categories === undefined)
    return `${head}: categories to be estimated at run time with epsilon ${num(f.estimationEpsilon)} (${UNREAD}), so the keep probability is not known yet${note}`;
  const from = f.domainFrom === 'declared' ? 'declared' : `estimated with epsilon ${num(f.estimationEpsilon)}`;
  return `${head}: keeps a row's value with probability ${num(f.keepProbability!)} among ${f.categories} categories (${f.categories - 1} ${from}, and missing; a uniform guess: ${num(1 / f.categories)}), else another at random${note}`;
}

function noiseWarning(f: LaplaceFigures, sensitive: number, name: OptionName): string {
  const [epsilon, bounds, sensitiveOption, clamp] = ['epsilon', 'bounds', 'sensitive', 'clamp'].map(name);
  const what = f.bounds
    ? `the noise scale ${num(f.scale!)} is ${num(f.scaleToRange)} times the range ${range(f.bounds)}`
    : `the noise scale will be ${num(f.scaleToRange)} times the estimated range`;
  const helps = [
    `a larger ${epsilon} (this column gets ${num(f.epsilon)}; the scale is the range / its epsilon)`,
    ...(sensitive > 1 ? [`fewer ${sensitiveOption} columns (${sensitive} share it now)`] : []),
    f.boundsFrom === 'declared'
      ? `narrower ${bounds} (the scale is proportional to them) if the values fit in them`
      : `declared ${bounds} (no estimation share, and a known scale)`,
    ...(f.clamp ? [] : [`${clamp}, which keeps released values inside the bounds at no privacy cost`]),
  ];
  // Clamped values stay in range, but most of them land on its ends: the warning still holds.
  const clamped = f.clamp ? ' Clamped values stay inside the bounds, but most land on their ends.' : '';
  return `${f.name}: ${what}: a released value says little about its row.${clamped} What would help: ${helps.join(', ')}.`;
}

/** The lines and warnings for a release or a dry run of `figures`; `clamp`: the option was given. */
export function columnWords(
  figures: readonly ColumnFigures[],
  options: { readonly clamp: boolean },
  name: OptionName,
): ColumnWords {
  const lines = figures.map((f) => (f.mechanism === 'laplace' ? laplaceLine(f) : responseLine(f, options.clamp, name)));
  const warnings = figures.filter(noiseExceedsRange).map((f) => noiseWarning(f, figures.length, name));
  if (options.clamp && !figures.some((f) => f.mechanism === 'laplace'))
    warnings.push(`${name('clamp')}: no sensitive column is numeric, so nothing is clamped`);
  return { lines, warnings };
}
