/** Defaults by data size, as data (SPEC section 5): each tier names the rows or shape it covers. */

export interface SizeTier {
  readonly label: string;
  readonly value: number;
  readonly matches: (trainRows: number, columns: number) => boolean;
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

export function sizedDefault(rule: SizeRule, trainRows: number, columns: number): SizedDefault {
  const tier = rule.tiers.find((t) => t.matches(trainRows, columns)) ?? rule.tiers[rule.tiers.length - 1];
  return { value: tier.value, rule: `${rule.id}: ${tier.label}` };
}

/** The reference implementations' epochs (CTGAN's and TVAE's 300), after any tiers for small tables. */
export const referenceEpochs = (method: string, small: readonly SizeTier[] = []): SizeRule => ({
  id: `${method}-size-n-iter`,
  param: 'n_iter',
  summary: `${method.toUpperCase()} epochs`,
  tiers: [...small, { label: 'reference default', value: 300, matches: () => true }],
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
