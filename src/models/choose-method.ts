/**
 * `--method auto`: the method for a table, from the descriptors' auto roles, with the reason said.
 * The usual choice unless the categorical columns carry so many levels that a method declared for
 * many categories (CTGAN's conditional vector and training-by-sampling were designed for many,
 * imbalanced categories) suits better than multinomial diffusion; under a budget, the method
 * declared for private runs, chosen from the request alone.
 */
import { usageError } from '../core/errors.js';
import { isCategorical, type Table } from '../core/table.js';
import type { AutoRole, MethodDescriptor } from './descriptor.js';

/** Category levels across all categorical columns above which auto prefers a method for many categories. */
export const AUTO_CATEGORY_LEVELS = 1000;

export interface AutoChoice {
  readonly id: string;
  readonly reason: string;
}

const withRole = (methods: readonly MethodDescriptor[], when: AutoRole['when']) =>
  methods.find((m) => m.auto?.when === when);

export function chooseMethod(table: Table, methods: readonly MethodDescriptor[]): AutoChoice {
  const levels = table.columns.filter(isCategorical).reduce((n, c) => n + c.levels.length, 0);
  const chosen =
    (levels > AUTO_CATEGORY_LEVELS ? withRole(methods, 'many-categories') : undefined) ?? withRole(methods, 'tables');
  if (chosen) return { id: chosen.id, reason: `auto: ${chosen.auto!.reason(levels)}` };
  if (!methods.length) throw usageError('no method to choose from', 'Name a method.');
  return { id: methods[0].id, reason: `auto: ${methods[0].id}, the first method this build trains` };
}

/**
 * `--method auto` under a privacy budget: the method declared for private runs (AIM, whose noisy
 * marginals keep what DP-SGD loses at the same epsilon: bench/results/dp-aim-mst.md), else the
 * usual one if it trains under DP. Chosen from the request alone: a choice read from the rows
 * would be a release outside the budget.
 */
export function chooseMethodPrivately(methods: readonly MethodDescriptor[]): AutoChoice {
  const declared = withRole(methods, 'private');
  if (declared) return { id: declared.id, reason: `auto: ${declared.auto!.reason(0)}` };
  const usual = [withRole(methods, 'tables'), ...methods].find((m) => m?.capabilities.dp);
  if (!usual)
    throw usageError(
      'no method this build trains can train under a privacy budget',
      'Train without a privacy budget, or name a method.',
    );
  return { id: usual.id, reason: `auto under DP: ${usual.id}, chosen without reading the rows` };
}
