/** Where the search looks for AIM: the bins per numeric column and the rounds it plans for. */
import type { SearchSpace } from '../search-space.js';

export const AIM_SEARCH = {
  bins: { low: 16, high: 64, log: true },
  rounds_per_column: { low: 8, high: 32, log: true },
} as const satisfies SearchSpace;
