/** The synthesizers gesalp can train, by --method name. */
import { unknownNameHint, usageError } from '../core/errors.js';
import type { Space } from './space.js';
import { TABDDPM_SPACE } from './tabddpm/space.js';

export interface MethodInfo {
  readonly id: string;
  readonly title: string;
  readonly space: Space;
}

export const MODELS = Object.freeze({
  ddpm: { id: 'ddpm', title: 'TabDDPM (Gaussian + multinomial diffusion)', space: TABDDPM_SPACE },
} as const satisfies Record<string, MethodInfo>);

export type MethodId = keyof typeof MODELS;

/** Methods the SPEC names that this build does not train yet. */
const PLANNED = ['ctgan', 'tvae'];

export interface MethodChoice {
  readonly id: MethodId;
  readonly reason: string;
}

export function resolveMethod(name: string): MethodChoice {
  if (name === 'auto') return { id: 'ddpm', reason: 'auto: TabDDPM is the only method this build trains' };
  if (name in MODELS) return { id: name as MethodId, reason: 'chosen with --method' };
  if (PLANNED.includes(name)) throw usageError(`method '${name}' is not available in this build of gesalp`, 'Use --method ddpm (or auto).');
  throw usageError(`unknown method '${name}'`, unknownNameHint(name, [...Object.keys(MODELS), 'auto']));
}
