/**
 * TVAE's epochs and batch size: the reference implementation's (300 epochs, batch 500), 100 rows a
 * batch under 1K rows; on large tables the steps are capped (SPEC section 10) at TVAE_STEP_CAP, the
 * steps of 300 epochs over about 33K training rows: adult's 26,049 keep 300 epochs (15,900 steps).
 */
import { evenBatches } from '../nn/time-estimate.js';
import { referenceBatch, referenceEpochs, type SizeRule } from '../size-rule.js';

export const TVAE_STEP_CAP = 20_000;

export const TVAE_SIZE_RULES: readonly SizeRule[] = [
  referenceEpochs('tvae', TVAE_STEP_CAP, (rows, batch) => evenBatches(rows, batch).stepsPerEpoch),
  referenceBatch('tvae', 100),
];
