/** TabDDPM's defaults by data size (SPEC section 5). */
import type { SizeRule } from '../size-rule.js';

/** Epochs by training rows. */
const nIter: SizeRule = {
  id: 'ddpm-size-n-iter',
  param: 'n_iter',
  summary: 'TabDDPM epochs by training rows',
  tiers: [
    { label: 'under 1K training rows', value: 400, matches: (rows) => rows < 1000 },
    { label: '1K-5K training rows', value: 500, matches: (rows) => rows < 5000 },
    { label: '5K-20K training rows', value: 600, matches: (rows) => rows < 20000 },
    { label: 'over 20K training rows', value: 700, matches: () => true },
  ],
};

/**
 * Batch size by shape, within the table's ranges: the lower end under 1K rows, where steps are
 * few (penguins: KS 0.11 at 64, 0.06 at 32); the upper end elsewhere, where data is plentiful and
 * fewer, larger steps are cheaper.
 */
const batchSize: SizeRule = {
  id: 'ddpm-size-batch',
  param: 'batch_size',
  summary: 'TabDDPM batch size by rows and columns',
  tiers: [
    { label: 'under 1K rows (32-64)', value: 32, matches: (rows) => rows < 1000 },
    { label: 'over 20 columns (256-512)', value: 512, matches: (_rows, columns) => columns > 20 },
    { label: 'up to 20 columns (128-256)', value: 256, matches: () => true },
  ],
};

export const TABDDPM_SIZE_RULES: readonly SizeRule[] = [nIter, batchSize];
