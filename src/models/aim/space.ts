/** AIM's hyperparameters: the space and the defaults, which hold for any table. */
import type { ParamValues, Space } from '../space.js';

export const AIM_SPACE = {
  degree: {
    kind: 'int',
    low: 2,
    high: 3,
    help: 'order of the workload: every marginal of this many columns (candidates are those and their subsets)',
  },
  bins: {
    kind: 'int',
    low: 4,
    high: 256,
    log: true,
    help: 'most bins per numeric column (heavy values, then range bins of similar mass); under DP, fewer where the noise would outweigh the rows in a pair of them',
  },
  max_model_mb: {
    kind: 'float',
    low: 0.05,
    high: 1000,
    log: true,
    help: 'cap on the junction tree (8 bytes per cell of its cliques), reached as the budget is spent',
  },
  rounds_per_column: {
    kind: 'int',
    low: 1,
    high: 64,
    help: 'rounds the budget is planned for, per column (annealing ends AIM sooner); without DP, the most rounds',
  },
  iterations: {
    kind: 'int',
    low: 1,
    high: 10000,
    log: true,
    help: 'mirror-descent iterations of the estimate after each round (warm-started)',
  },
  final_iterations: {
    kind: 'int',
    low: 1,
    high: 100000,
    log: true,
    help: 'mirror-descent iterations of the final estimate, before sampling',
  },
} as const satisfies Space;

export type AimParams = ParamValues<typeof AIM_SPACE>;

export const AIM_FIXED_DEFAULTS = {
  degree: 2,
  bins: 32,
  max_model_mb: 80,
  rounds_per_column: 16,
  iterations: 100,
  final_iterations: 1000,
} as const;
