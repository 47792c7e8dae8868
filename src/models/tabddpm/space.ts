/** TabDDPM's hyperparameters: the space and the defaults that do not depend on the data's size. */
import type { ParamValues, Space } from '../space.js';

export const TABDDPM_SPACE = {
  n_iter: { kind: 'int', low: 1, high: 100000, help: 'training epochs (full passes over the training rows)' },
  batch_size: { kind: 'int', low: 8, high: 65536, log: true, help: 'rows per gradient step' },
  lr: { kind: 'float', low: 1e-5, high: 0.1, log: true, help: 'AdamW learning rate, decayed linearly to 0' },
  weight_decay: { kind: 'float', low: 0, high: 0.1, help: 'AdamW decoupled weight decay' },
  num_timesteps: { kind: 'int', low: 10, high: 2000, log: true, help: 'diffusion steps (sampling cost grows with it)' },
  layers: { kind: 'int', low: 1, high: 8, help: 'hidden ReLU layers of the denoiser' },
  width: { kind: 'int', low: 16, high: 4096, log: true, help: 'units per hidden layer' },
  dropout: { kind: 'float', low: 0, high: 0.5, help: 'dropout after each hidden layer' },
  ema: { kind: 'float', low: 0.9, high: 0.99999, help: 'decay of the weight average used for sampling' },
  sample_steps: {
    kind: 'int',
    low: 1,
    high: 2000,
    log: true,
    help: 'denoising steps per sampled row (default 50, half the default schedule): at or above num_timesteps the full schedule; fewer, a strided sampler about num_timesteps / sample_steps times faster, with slightly weaker metrics (bench/results/sampler-steps.md)',
  },
  sample_eta: {
    kind: 'float',
    low: 0,
    high: 1,
    help: 'noise of the strided sampler: 1 DDPM steps over the jumps (variance 1 - alpha-bar_t / alpha-bar_s), 0 deterministic DDIM steps (weaker on every table measured)',
  },
} as const satisfies Space;

export type TabDdpmParams = ParamValues<typeof TABDDPM_SPACE>;

/** Defaults that hold for any table; n_iter and batch_size come from the size table (optimizer). */
export const TABDDPM_FIXED_DEFAULTS = {
  lr: 0.002,
  weight_decay: 1e-4,
  num_timesteps: 100,
  layers: 2,
  width: 128,
  dropout: 0,
  ema: 0.999,
  // Half the schedule (SPEC section 10: fewer denoising steps than training's): sampling 1.9-2.3 times faster than the
  // full 100 steps for at most 0.2 of the quality score (adult 97.64 to 97.44, california_housing 98.33 to 98.22,
  // german_credit 95.06 to 95.43; bench/results/sampler-steps.md). 25 and 10 steps cost more than that.
  sample_steps: 50,
  sample_eta: 1,
} as const;
