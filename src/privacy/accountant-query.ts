/** suggest's accountant mode: epsilon for a noise multiplier, or the noise multiplier for an epsilon. */
import { usageError } from '../core/errors.js';
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
  const missing = [
    q === undefined && '--sample-rate',
    steps === undefined && '--steps',
    delta === undefined && '--delta',
  ].filter(Boolean);
  if (missing.length)
    throw usageError(
      `accountant mode needs ${missing.join(', ')}`,
      'Give --sample-rate Q --steps T --delta D with --noise-multiplier S (for epsilon) or --epsilon E (for the noise multiplier).',
    );
  if ((sigma === undefined) === (epsilon === undefined))
    throw usageError(
      'give exactly one of --noise-multiplier and --epsilon',
      '--noise-multiplier S prints the epsilon spent; --epsilon E prints the smallest noise multiplier that meets it.',
    );
  if (sigma !== undefined) {
    const spent = epsilonSpent(q!, sigma, steps!, delta!);
    // With next to no noise every order's bound overflows: there is no epsilon to print (JSON would say null).
    if (!Number.isFinite(spent.epsilon))
      throw usageError(
        `--noise-multiplier ${sigma} gives no finite epsilon: with that little noise the privacy loss is unbounded at every order the accountant tries`,
        'Give a noise multiplier of at least about 0.3 (DP-SGD runs use 0.5 to 5).',
      );
    return { epsilon: spent.epsilon, order: spent.order };
  }
  const noise = noiseForEpsilon(epsilon!, q!, steps!, delta!);
  return { noise_multiplier: noise, epsilon: epsilonSpent(q!, noise, steps!, delta!).epsilon };
}
