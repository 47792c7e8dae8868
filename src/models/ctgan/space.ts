/**
 * CTGAN's hyperparameters (Xu et al. 2019; defaults as in the reference implementation). Declared
 * before the model lands so that the optimizer can diagnose and clamp CTGAN runs made elsewhere.
 */
import type { ParamValues, Space } from '../space.js';

export const CTGAN_SPACE = {
  n_iter: { kind: 'int', low: 1, high: 10000, help: 'training epochs (full passes over the training rows)' },
  batch_size: { kind: 'int', low: 10, high: 65536, log: true, help: 'rows per gradient step (a multiple of pac)' },
  lr: { kind: 'float', low: 1e-5, high: 0.01, log: true, help: 'generator and discriminator Adam learning rate' },
  embedding_dim: { kind: 'int', low: 16, high: 1024, log: true, help: 'size of the random input to the generator' },
  pac: { kind: 'int', low: 1, high: 16, help: 'rows the discriminator judges together (mode-collapse guard)' },
} as const satisfies Space;

export const CTGAN_FIXED_DEFAULTS = { lr: 2e-4, embedding_dim: 128, pac: 10 } as const;

export type CtganParams = ParamValues<typeof CTGAN_SPACE>;
