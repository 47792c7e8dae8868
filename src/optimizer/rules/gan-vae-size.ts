/** CTGAN/TVAE epochs and batch size: the reference implementations' defaults (300 epochs, batch 500), whatever the size. */
import type { MethodId } from '../../models/registry.js';
import type { SizeRule } from '../size-rule.js';

const epochs = (method: MethodId): SizeRule => ({
  id: `${method}-size-n-iter`,
  method,
  param: 'n_iter',
  summary: `${method.toUpperCase()} epochs`,
  tiers: [{ label: 'reference default', value: 300, matches: () => true }],
});

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

export const ganVaeSizeRules: readonly SizeRule[] = [epochs('ctgan'), batch('ctgan'), epochs('tvae'), batch('tvae')];
