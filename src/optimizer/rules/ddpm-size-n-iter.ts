/** TabDDPM epochs by training rows (SPEC section 5). */
import type { SizeRule } from '../size-rule.js';

export const ddpmSizeNIter: SizeRule = {
  id: 'ddpm-size-n-iter',
  method: 'ddpm',
  param: 'n_iter',
  summary: 'TabDDPM epochs by training rows',
  tiers: [
    { label: 'under 1K training rows', value: 400, matches: (rows) => rows < 1000 },
    { label: '1K-5K training rows', value: 500, matches: (rows) => rows < 5000 },
    { label: '5K-20K training rows', value: 600, matches: (rows) => rows < 20000 },
    { label: 'over 20K training rows', value: 700, matches: () => true },
  ],
};
