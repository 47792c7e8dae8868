/** Where the search looks for TVAE: epochs and batch around the defaults, the learning rate, the latent size and the loss weight. */
import type { SearchSpace } from '../search-space.js';

export const TVAE_SEARCH = {
  n_iter: { times: [0.5, 2.5], log: true },
  batch_size: { times: [0.5, 2], log: true },
  lr: { low: 3e-4, high: 3e-3, log: true },
  embedding_dim: { low: 64, high: 256, log: true },
  loss_factor: { low: 0.5, high: 4, log: true },
} as const satisfies SearchSpace;
