/**
 * TabDDPM batch size by shape (SPEC section 5), within the table's ranges: the lower end under
 * 1K rows, where steps are few (penguins: KS 0.11 at 64, 0.06 at 32); the upper end elsewhere,
 * where data is plentiful and fewer, larger steps are cheaper.
 */
import type { SizeRule } from '../size-rule.js';

export const ddpmSizeBatch: SizeRule = {
  id: 'ddpm-size-batch',
  method: 'ddpm',
  param: 'batch_size',
  summary: 'TabDDPM batch size by rows and columns',
  tiers: [
    { label: 'under 1K rows (32-64)', value: 32, matches: (rows) => rows < 1000 },
    { label: 'over 20 columns (256-512)', value: 512, matches: (_rows, columns) => columns > 20 },
    { label: 'up to 20 columns (128-256)', value: 256, matches: () => true },
  ],
};
