/**
 * CTGAN's epochs and batch size: the reference implementation's defaults (300 epochs, batch 500),
 * except that on small tables it trains more epochs, and under 1K rows on batches of 200. An epoch
 * of a small table is a few steps, and a GAN needs thousands of generator steps whatever the rows:
 * on german_credit (800 training rows) 300 epochs of 100 left ks_mean at 0.197 and 1,000 brought
 * it to 0.115-0.161 (bench/results/methods-german_credit); 2,000 epochs of 200 rows (the same
 * 8,000 steps, each critic step judging 20 packs instead of 10) ended at 0.125 with checkpoints at
 * 0.07-0.10 that the model now keeps. The tiers keep CTGAN near 8,000 steps or more. On large
 * tables the steps are capped (SPEC section 10) at CTGAN_STEP_CAP, the steps of 300 epochs over
 * about 33K training rows: adult's 26,049 keep 300 epochs (15,600 steps).
 */
import { referenceBatch, referenceEpochs, type SizeRule, type SizeTier } from '../size-rule.js';

export const CTGAN_STEP_CAP = 20_000;

/** Full batches only, as its trainer counts them (train-task's stepsPerEpoch, not imported: the model loads lazily). */
const fullBatches = (rows: number, batch: number): number => Math.max(Math.floor(rows / batch), 1);

const smallTables: SizeTier[] = [
  { label: 'under 1K rows (up to 8,000 generator steps)', value: 2000, matches: (rows) => rows < 1000 },
  { label: '1K-5K rows (about 2,000-8,000 generator steps)', value: 1000, matches: (rows) => rows < 5000 },
  { label: '5K-15K rows (about 5,000-15,000 generator steps)', value: 500, matches: (rows) => rows < 15000 },
];

// The critic judges batch / pac packs a step: 200 rows make 20 packs of 10.
export const CTGAN_SIZE_RULES: readonly SizeRule[] = [
  referenceEpochs('ctgan', CTGAN_STEP_CAP, fullBatches, smallTables),
  referenceBatch('ctgan', 200),
];
