/**
 * Defaults by data size, as data (SPEC section 5): each tier names the rows or shape it covers.
 * A tier's value is a number, or computed from the training shape (SPEC section 10: above a size,
 * an epoch budget becomes a fixed number of optimizer steps, expressed as epochs so that n_iter
 * keeps its meaning).
 */
import { formatCount } from '../core/text/format.js';

/** A value a tier computes from the training shape; `text` is how PARAMETER_TABLES.md shows it. */
export interface ComputedValue {
  readonly text: string;
  readonly of: (trainRows: number, columns: number, batchSize: number) => number;
}

export interface SizeTier {
  readonly label: string;
  readonly value: number | ComputedValue;
  /** `batchSize`: the batch the run trains with (the batch rule's default unless given). */
  readonly matches: (trainRows: number, columns: number, batchSize: number) => boolean;
}

export interface SizeRule {
  readonly id: string;
  /** A parameter of the method's space. */
  readonly param: string;
  readonly summary: string;
  /** The first matching tier gives the value. */
  readonly tiers: readonly SizeTier[];
}

export interface SizedDefault {
  readonly value: number;
  readonly rule: string;
}

/** Tiers that do not read the batch size are given this one when no batch is known. */
const NO_BATCH = Number.NaN;

export function sizedDefault(rule: SizeRule, trainRows: number, columns: number, batchSize = NO_BATCH): SizedDefault {
  const tier = rule.tiers.find((t) => t.matches(trainRows, columns, batchSize)) ?? rule.tiers[rule.tiers.length - 1];
  const value = typeof tier.value === 'number' ? tier.value : tier.value.of(trainRows, columns, batchSize);
  return { value, rule: `${rule.id}: ${tier.label}` };
}

/** How a tier's value reads in a table: the number, or the computation. */
export const tierValueText = (tier: SizeTier): string =>
  typeof tier.value === 'number' ? String(tier.value) : tier.value.text;

/** Optimizer steps in an epoch of `trainRows` at `batchSize`: each method counts them as its trainer does. */
export type StepsPerEpoch = (trainRows: number, batchSize: number) => number;

/** What every step-capped tier's label says, so that a reader of the rule (the few-epochs warning) can tell it. */
export const STEP_CAP = 'steps capped at';

/**
 * Two tiers: `epochs` while they come to at most `cap` optimizer steps, and above that as many
 * epochs as make `cap` steps (rounded up to whole epochs), whatever the rows. Training time then
 * stops growing with the table: the reference TabDDPM trains a fixed number of steps at any size.
 */
export function stepCapTiers(label: string, epochs: number, cap: number, steps: StepsPerEpoch): SizeTier[] {
  const perEpoch = (rows: number, batch: number): number => Math.max(1, steps(rows, batch));
  return [
    {
      label: `${label}, up to ${formatCount(cap)} steps`,
      value: epochs,
      matches: (rows, _columns, batch) => !(epochs * perEpoch(rows, batch) > cap),
    },
    {
      label: `${label}, ${STEP_CAP} ${formatCount(cap)}`,
      value: {
        text: `ceil(${formatCount(cap)} / steps per epoch)`,
        of: (rows, _columns, batch) => Math.ceil(cap / perEpoch(rows, batch)),
      },
      matches: () => true,
    },
  ];
}

/**
 * The reference implementations' epochs (CTGAN's and TVAE's 300), after any tiers for small
 * tables, with their steps capped at `cap` on large ones.
 */
export const referenceEpochs = (
  method: string,
  cap: number,
  steps: StepsPerEpoch,
  small: readonly SizeTier[] = [],
): SizeRule => ({
  id: `${method}-size-n-iter`,
  param: 'n_iter',
  summary: `${method.toUpperCase()} epochs, steps capped at ${formatCount(cap)} on large tables`,
  tiers: [...small, ...stepCapTiers('reference default', 300, cap, steps)],
});

/** The reference batch of 500, and `small` under 1K rows, where an epoch is only a few steps. */
export const referenceBatch = (method: string, small: number): SizeRule => ({
  id: `${method}-size-batch`,
  param: 'batch_size',
  summary: `${method.toUpperCase()} batch size`,
  tiers: [
    { label: `under 1K rows (${small})`, value: small, matches: (rows) => rows < 1000 },
    { label: 'reference default', value: 500, matches: () => true },
  ],
});
