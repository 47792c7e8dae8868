/** Defaults by data size, as data (SPEC section 5): each tier names the rows or shape it covers. */
import type { MethodId, ParamName } from '../models/registry.js';

export interface SizeTier {
  readonly label: string;
  readonly value: number;
  readonly matches: (trainRows: number, columns: number) => boolean;
}

export interface SizeRule {
  readonly id: string;
  readonly method: MethodId;
  readonly param: ParamName;
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
