/** TVAE's epochs and batch size: the reference implementation's (300 epochs, batch 500), 100 rows a batch under 1K rows. */
import { referenceBatch, referenceEpochs, type SizeRule } from '../size-rule.js';

export const TVAE_SIZE_RULES: readonly SizeRule[] = [referenceEpochs('tvae'), referenceBatch('tvae', 100)];
