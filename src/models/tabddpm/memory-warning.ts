/**
 * TabDDPM one-hot encodes every category of every categorical column into its denoiser's input
 * and output, so a column of a million distinct values makes a network of hundreds of millions of
 * weights: gigabytes before the first step. This says so, naming the column, before anything is
 * allocated (the estimate needs only the level counts).
 */
import { formatCount } from '../../core/text/format.js';
import { isCategorical, type Table } from '../../core/table.js';
import { weightCount } from './denoiser.js';

/** Float32 copies of the weights training holds: weights, average, gradient, two Adam moments, a transposed copy. */
const COPIES = 6;
/** Past this the warning is given. */
export const WARN_BYTES = 2 ** 30;

/** The warning for training TabDDPM on `table` with these parameters, or null when the network is of a usual size. */
export function tabDdpmMemoryWarning(table: Table, params: Readonly<Record<string, number>>): string | null {
  let inputWidth = 0;
  let widest: { name: string; levels: number } | null = null;
  for (const column of table.columns) {
    // A numeric column is one input (and a missing indicator at most); a categorical one, a level each and missing.
    const width = isCategorical(column) ? column.levels.length + 1 : 2;
    inputWidth += width;
    if (isCategorical(column) && (!widest || column.levels.length > widest.levels))
      widest = { name: column.name, levels: column.levels.length };
  }
  const bytes = 4 * COPIES * weightCount({ inputWidth, layers: params.layers, width: params.width });
  if (bytes < WARN_BYTES || !widest) return null;
  return `column '${widest.name}' has ${formatCount(widest.levels)} categories: TabDDPM one-hot encodes each one (${formatCount(inputWidth)} network inputs), so training needs about ${(bytes / 2 ** 30).toFixed(1)} GB before its first step; method auto chooses CTGAN for a table like this (method ctgan), or drop or group '${widest.name}'`;
}
