/** Every parameter's default for a method and a training set: its size rules, then its fixed defaults. */
import type { MethodDescriptor } from '../models/descriptor.js';
import { sizedDefault, type SizedDefault } from '../models/size-rule.js';

/** Every parameter's default; `privateTraining`: under DP, with what the method says DP fixes. */
export function sizeDefaults(
  method: MethodDescriptor,
  trainRows: number,
  columns: number,
  privateTraining = false,
): Record<string, SizedDefault> {
  const sized = method.sizeRules.map((r) => [r.param, sizedDefault(r, trainRows, columns)] as const);
  // A size rule wins over a fixed default of the same parameter.
  const fixed = Object.entries(method.fixedDefaults)
    .filter(([name]) => !method.sizeRules.some((r) => r.param === name))
    .map(([name, value]) => [name, { value, rule: 'default' }] as const);
  const forPrivacy = privateTraining ? Object.entries(method.privateFixed ?? {}) : [];
  return Object.fromEntries([...sized, ...fixed, ...forPrivacy]);
}
