/** TabDDPM's defaults by data size (SPEC sections 5 and 10). */
import { evenBatches } from '../nn/time-estimate.js';
import { stepCapTiers, type SizeRule } from '../size-rule.js';

/**
 * The step cap (SPEC section 10): 700 epochs reach it at about 36K training rows at batch 256
 * (73K at 512). Adult's 26,049 training rows keep their 700 epochs (71,400 steps), and every
 * larger table trains about 100,000 steps, about 12 minutes on the methods benchmark's 2 threads
 * (143 steps/s on adult), however many rows it has. The reference TabDDPM trains a fixed number of
 * steps too (30,000 of 4,096 rows in its paper's configurations).
 */
export const DDPM_STEP_CAP = 100_000;

/** Epochs by training rows; above the cap, as many epochs as make DDPM_STEP_CAP steps. */
const nIter: SizeRule = {
  id: 'ddpm-size-n-iter',
  param: 'n_iter',
  summary: `TabDDPM epochs by training rows, steps capped at ${DDPM_STEP_CAP.toLocaleString('en-US')}`,
  tiers: [
    { label: 'under 1K training rows', value: 400, matches: (rows) => rows < 1000 },
    { label: '1K-5K training rows', value: 500, matches: (rows) => rows < 5000 },
    { label: '5K-20K training rows', value: 600, matches: (rows) => rows < 20000 },
    ...stepCapTiers(
      'over 20K training rows',
      700,
      DDPM_STEP_CAP,
      (rows, batch) => evenBatches(rows, batch).stepsPerEpoch,
    ),
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
