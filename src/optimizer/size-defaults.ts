/** Every parameter's default for a method and a training set: the size rules, then each model's fixed defaults. */
import { AIM_FIXED_DEFAULTS } from '../models/aim/space.js';
import { CTGAN_FIXED_DEFAULTS } from '../models/ctgan/space.js';
import type { MethodId } from '../models/registry.js';
import { TABDDPM_FIXED_DEFAULTS } from '../models/tabddpm/space.js';
import { TVAE_FIXED_DEFAULTS } from '../models/tvae/space.js';
import { ddpmSizeBatch } from './rules/ddpm-size-batch.js';
import { ddpmSizeNIter } from './rules/ddpm-size-n-iter.js';
import { ganVaeSizeRules } from './rules/gan-vae-size.js';
import { sizedDefault, type SizedDefault, type SizeRule } from './size-rule.js';

export const SIZE_RULES: readonly SizeRule[] = Object.freeze([ddpmSizeNIter, ddpmSizeBatch, ...ganVaeSizeRules]);

const FIXED: Record<MethodId, Readonly<Record<string, number>>> = {
  ddpm: TABDDPM_FIXED_DEFAULTS,
  ctgan: CTGAN_FIXED_DEFAULTS,
  tvae: TVAE_FIXED_DEFAULTS,
  aim: AIM_FIXED_DEFAULTS,
};

/** What DP-SGD fixes, whatever the defaults: CTGAN's critic judges single rows, as a pack would tie rows' gradients together. */
export const PRIVATE_TRAINING_FIXED: Readonly<Partial<Record<MethodId, Readonly<Record<string, SizedDefault>>>>> = {
  ctgan: { pac: { value: 1, rule: 'DP-SGD: the critic judges one row per example' } },
};

/** Every parameter's default; `privateTraining`: under DP-SGD, with what it fixes. */
export function sizeDefaults(
  method: MethodId,
  trainRows: number,
  columns: number,
  privateTraining = false,
): Record<string, SizedDefault> {
  const sized = SIZE_RULES.filter((r) => r.method === method).map(
    (r) => [r.param, sizedDefault(r, trainRows, columns)] as const,
  );
  const fixed = Object.entries(FIXED[method]).map(([name, value]) => [name, { value, rule: 'default' }] as const);
  const forPrivacy = privateTraining ? Object.entries(PRIVATE_TRAINING_FIXED[method] ?? {}) : [];
  return Object.fromEntries([...sized, ...fixed, ...forPrivacy]);
}
