/** The target and secret columns (evaluate and generate): each must name a column of the real rows, and a target needs something to predict. */
import { optionError, unknownNameHint } from '../core/errors.js';
import { targetProblem } from '../metrics/learned/target.js';
import type { Table } from '../core/table.js';

/**
 * `namesOnly` (under DP): only the header is checked; whether the target has something to predict
 * is read from the rows, so it is left to the private report, where a failing metric says so.
 */
export function checkTargetColumns(
  real: Table,
  options: { readonly target?: string; readonly secret?: string },
  namesOnly = false,
): void {
  const names = real.columns.map((c) => c.name);
  for (const [option, name] of [
    ['target', options.target],
    ['secret', options.secret],
  ] as const) {
    if (name !== undefined && !names.includes(name))
      throw optionError(
        'usage',
        option,
        `{${option}} ${name}: no such column in the real table`,
        unknownNameHint(name, names),
      );
  }
  const problem = options.target === undefined || namesOnly ? undefined : targetProblem(real, options.target);
  if (problem)
    throw optionError(
      'input',
      'target',
      `{target} ${options.target}: ${problem.message}`,
      'Give a target column with at least two classes (or two distinct values) in the real training rows.',
    );
}
