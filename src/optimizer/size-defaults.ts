/** Every parameter's default for a method and a training set: its size rules, then its fixed defaults. */
import type { MethodDescriptor } from '../models/descriptor.js';
import { sizedDefault, type SizedDefault } from '../models/size-rule.js';

/**
 * Every parameter's default; `privateTraining`: under DP, with what the method says DP fixes.
 * `given`: values the user set (their batch_size is the batch a step-capped n_iter counts its
 * steps in); they are not returned, the caller lays them over the defaults.
 */
export function sizeDefaults(
  method: MethodDescriptor,
  trainRows: number,
  columns: number,
  privateTraining = false,
  given: Readonly<Record<string, number>> = {},
): Record<string, SizedDefault> {
  const forPrivacy = privateTraining ? Object.entries(method.privateFixed ?? {}) : [];
  // The batch first: a tier of another rule may count steps of it (SPEC section 10).
  const batchRule = method.sizeRules.find((r) => r.param === 'batch_size');
  const batchSize =
    given.batch_size ??
    (privateTraining ? method.privateFixed?.batch_size?.value : undefined) ??
    (batchRule ? sizedDefault(batchRule, trainRows, columns).value : method.fixedDefaults.batch_size);
  const sized = method.sizeRules.map((r) => [r.param, sizedDefault(r, trainRows, columns, batchSize)] as const);
  // A size rule wins over a fixed default of the same parameter.
  const fixed = Object.entries(method.fixedDefaults)
    .filter(([name]) => !method.sizeRules.some((r) => r.param === name))
    .map(([name, value]) => [name, { value, rule: 'default' }] as const);
  return Object.fromEntries([...sized, ...fixed, ...forPrivacy]);
}
