/**
 * Where the search looks for CTGAN: epochs around the default, the learning rate and the
 * generator's input size (batch size stays: it must be a multiple of pac).
 */
import type { SearchSpace } from '../search-space.js';

export const CTGAN_SEARCH = {
  n_iter: { times: [0.5, 2.5], log: true },
  lr: { low: 5e-5, high: 1e-3, log: true },
  embedding_dim: { low: 64, high: 256, log: true },
} as const satisfies SearchSpace;
