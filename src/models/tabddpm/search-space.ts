/** Where the search looks for TabDDPM: epochs and batch around the size defaults, the learning rate and the net's size. */
import type { SearchSpace } from '../search-space.js';

export const TABDDPM_SEARCH = {
  n_iter: { times: [0.4, 2], log: true },
  batch_size: { times: [0.5, 2], log: true },
  lr: { low: 5e-4, high: 5e-3, log: true },
  layers: { low: 2, high: 4 },
  width: { low: 128, high: 512, log: true },
} as const satisfies SearchSpace;
