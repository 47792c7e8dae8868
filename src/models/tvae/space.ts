/**
 * TVAE's hyperparameters (Xu et al. 2019; defaults as in the reference implementation). Declared
 * before the model lands so that the optimizer can diagnose and clamp TVAE runs made elsewhere.
 */
import type { ParamValues, Space } from '../space.js';

export const TVAE_SPACE = {
  n_iter: { kind: 'int', low: 1, high: 10000, help: 'training epochs (full passes over the training rows)' },
  batch_size: { kind: 'int', low: 10, high: 65536, log: true, help: 'rows per gradient step' },
  lr: { kind: 'float', low: 1e-5, high: 0.01, log: true, help: 'Adam learning rate' },
  embedding_dim: { kind: 'int', low: 16, high: 1024, log: true, help: 'size of the latent code' },
  loss_factor: { kind: 'float', low: 0.1, high: 10, help: 'weight of the reconstruction loss against the KL term' },
} as const satisfies Space;

export type TvaeParams = ParamValues<typeof TVAE_SPACE>;

export const TVAE_FIXED_DEFAULTS = { lr: 1e-3, embedding_dim: 128, loss_factor: 2 } as const;
