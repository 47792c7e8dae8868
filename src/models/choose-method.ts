/**
 * `--method auto`: the method for a table, from its profile, with the reason said. TabDDPM unless
 * the categorical columns carry so many levels that its multinomial diffusion (every level of
 * every column through each denoising step and its one-hot input) is the wrong tool, where CTGAN's
 * conditional vector and training-by-sampling were designed for many, imbalanced categories.
 */
import { isCategorical, type Table } from '../core/table.js';

/** Category levels across all categorical columns above which auto prefers CTGAN. */
export const AUTO_CATEGORY_LEVELS = 1000;

export interface AutoChoice {
  readonly id: 'ddpm' | 'ctgan' | 'aim';
  readonly reason: string;
}

export function chooseMethod(table: Table, trainable: readonly string[]): AutoChoice {
  const levels = table.columns.filter(isCategorical).reduce((n, c) => n + c.levels.length, 0);
  if (levels > AUTO_CATEGORY_LEVELS && trainable.includes('ctgan'))
    return {
      id: 'ctgan',
      reason: `auto: ${levels} category levels (over ${AUTO_CATEGORY_LEVELS}), where CTGAN's conditional vector suits many imbalanced categories better than TabDDPM's multinomial diffusion`,
    };
  return {
    id: 'ddpm',
    reason: `auto: ${levels} category levels (at most ${AUTO_CATEGORY_LEVELS}), where TabDDPM gives the closest marginals and associations of the three`,
  };
}

/**
 * `--method auto` under a privacy budget: AIM, whose noisy marginals keep what DP-SGD loses at the
 * same epsilon (bench/results/dp-aim-mst.md). Chosen from the request alone: a choice read from
 * the rows would be a release outside the budget.
 */
export function chooseMethodPrivately(trainable: readonly string[]): AutoChoice {
  if (trainable.includes('aim'))
    return {
      id: 'aim',
      reason:
        'auto: a privacy budget, where AIM (noisy marginals under zCDP, a graphical model fitted to them) keeps marginals and pairwise structure that DP-SGD loses at the same epsilon; chosen without reading the rows',
    };
  return { id: 'ddpm', reason: 'auto under DP: TabDDPM, chosen without reading the rows' };
}
