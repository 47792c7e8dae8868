/**
 * suggest's accountant mode: epsilon for a noise multiplier, or the noise multiplier for an epsilon.
 * Errors name the query's fields as `{sample_rate}` and so on: the CLI says its flags there.
 */
import { optionError } from '../core/errors.js';
import { epsilonSpent, noiseForEpsilon } from './rdp-accountant.js';

export interface AccountantQuery {
  readonly sampleRate?: number;
  readonly noiseMultiplier?: number;
  readonly steps?: number;
  readonly delta?: number;
  readonly epsilon?: number;
}

export function accountantAnswer(query: AccountantQuery): Record<string, number> {
  const { sampleRate: q, noiseMultiplier: sigma, steps, delta, epsilon } = query;
  const named = ['sample_rate', 'steps', 'delta', 'noise_multiplier', 'epsilon'];
  const missing = [
    q === undefined && 'sample_rate',
    steps === undefined && 'steps',
    delta === undefined && 'delta',
  ].filter((option): option is string => Boolean(option));
  if (missing.length)
    throw optionError(
      'usage',
      missing[0],
      `accountant mode needs ${missing.map((option) => `{${option}}`).join(', ')}`,
      'Give {sample_rate} Q {steps} T {delta} D with {noise_multiplier} S (for epsilon) or {epsilon} E (for the noise multiplier).',
      named,
    );
  if ((sigma === undefined) === (epsilon === undefined))
    throw optionError(
      'usage',
      'noise_multiplier',
      'give exactly one of {noise_multiplier} and {epsilon}',
      '{noise_multiplier} S prints the epsilon spent; {epsilon} E prints the smallest noise multiplier that meets it.',
      ['epsilon'],
    );
  if (sigma !== undefined) {
    const spent = epsilonSpent(q!, sigma, steps!, delta!);
    // With next to no noise every order's bound overflows: there is no epsilon to print (JSON would say null).
    if (!Number.isFinite(spent.epsilon))
      throw optionError(
        'usage',
        'noise_multiplier',
        `{noise_multiplier} ${sigma} gives no finite epsilon: with that little noise the privacy loss is unbounded at every order the accountant tries`,
        'Give a noise multiplier of at least about 0.3 (DP-SGD runs use 0.5 to 5).',
      );
    return { epsilon: spent.epsilon, order: spent.order };
  }
  const noise = noiseForEpsilon(epsilon!, q!, steps!, delta!);
  return { noise_multiplier: noise, epsilon: epsilonSpent(q!, noise, steps!, delta!).epsilon };
}
