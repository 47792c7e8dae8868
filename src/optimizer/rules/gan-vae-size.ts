/**
 * CTGAN/TVAE epochs and batch size: the reference implementations' defaults (300 epochs, batch
 * 500), except that CTGAN on small tables trains more epochs. An epoch of a small table is a few
 * steps, and a GAN needs thousands of generator steps whatever the rows: on german_credit (800
 * training rows, 8 steps an epoch) 300 epochs left ks_mean at 0.197 and 1,000 brought it to 0.115
 * (bench/results/methods-german_credit). The tiers keep CTGAN near 8,000 steps or more.
 */
import type { MethodId } from '../../models/registry.js';
import type { SizeRule, SizeTier } from '../size-rule.js';

const REFERENCE_EPOCHS: SizeTier = { label: 'reference default', value: 300, matches: () => true };

const epochs = (method: MethodId, small: readonly SizeTier[] = []): SizeRule => ({
  id: `${method}-size-n-iter`,
  method,
  param: 'n_iter',
  summary: `${method.toUpperCase()} epochs`,
  tiers: [...small, REFERENCE_EPOCHS],
});

const ctganSmallTables: SizeTier[] = [
  { label: 'under 5K rows (about 8,000 generator steps or more)', value: 1000, matches: (rows) => rows < 5000 },
  { label: '5K-15K rows (about 5,000-15,000 generator steps)', value: 500, matches: (rows) => rows < 15000 },
];

const batch = (method: MethodId): SizeRule => ({
  id: `${method}-size-batch`,
  method,
  param: 'batch_size',
  summary: `${method.toUpperCase()} batch size`,
  tiers: [
    { label: 'under 1K rows (100)', value: 100, matches: (rows) => rows < 1000 },
    { label: 'reference default', value: 500, matches: () => true },
  ],
});

export const ganVaeSizeRules: readonly SizeRule[] = [
  epochs('ctgan', ctganSmallTables),
  batch('ctgan'),
  epochs('tvae'),
  batch('tvae'),
];
