/**
 * How AIM spends a training (epsilon, delta): in zCDP. A share of delta pays for the heavy
 * values' threshold (a value one row holds is released with at most that probability: approximate
 * zCDP, whose delta adds); the rest of delta converts epsilon to rho by the tight conversion of
 * Canonne, Kamath and Steinke (src/privacy/zcdp.ts). Rho is then split between the heavy values,
 * the fine histograms that cut and decode the numeric bins, and AIM's rounds. Columns with no
 * numeric binning to do (categorical, or whole numbers with no more values than bins) leave
 * those shares to the rounds.
 * When preprocessing was charged in zCDP before the training (a prior: its rho, and its share
 * stated in epsilon), the account's rho is that of the training's epsilon plus the prior's, and
 * the training gets it less the prior's rho: the account (the attempt less its row count, which is
 * charged in epsilon beside it) converts to its epsilon at once.
 */
import { zcdpRho } from '../../privacy/zcdp.js';

/** Share of rho for releasing heavy values (point masses) of numeric columns. */
export const HEAVY_SHARE = 0.05;
/** Share of rho for the noisy fine histograms of numeric columns. */
export const FINE_SHARE = 0.1;
/** Share of delta for the heavy values' release threshold. */
export const THRESHOLD_DELTA_SHARE = 0.01;
/** AIM's split of each round between measuring (alpha in the paper) and selecting. */
export const MEASURE_SHARE = 0.9;

export interface AimBudget {
  readonly epsilon: number;
  readonly delta: number;
  /** The delta the heavy values' threshold may fail with (0 when no column needs it). */
  readonly thresholdDelta: number;
  /** The rho that epsilon and the rest of delta allow the training (after a zCDP prior's). */
  readonly rho: number;
  /** What preprocessing spent before the training in the same attempt, in zCDP (0 rho when none). */
  readonly prior: { readonly rho: number; readonly epsilon: number };
  readonly heavyRho: number;
  readonly fineRho: number;
  readonly roundsRho: number;
}

/** The noise AIM's rounds start at: sigma_0 = sqrt(T / (2 alpha rho)) for T rounds on `rho`. */
export const startingSigma = (rho: number, rounds: number): number => Math.sqrt(rounds / (2 * MEASURE_SHARE * rho));

/** The budget for `binned` numeric columns that need heavy values and fine histograms. */
export function planBudget(
  epsilon: number,
  delta: number,
  binned: number,
  prior: { readonly rho: number; readonly epsilon: number } = { rho: 0, epsilon: 0 },
): AimBudget {
  const thresholdDelta = binned > 0 ? delta * THRESHOLD_DELTA_SHARE : 0;
  const rho = zcdpRho(epsilon + prior.epsilon, delta - thresholdDelta) - prior.rho;
  if (!(rho > 0))
    throw new Error(`preprocessing spent rho ${prior.rho}, all that epsilon ${epsilon + prior.epsilon} allows`);
  const heavyRho = binned > 0 ? rho * HEAVY_SHARE : 0;
  const fineRho = binned > 0 ? rho * FINE_SHARE : 0;
  return { epsilon, delta, thresholdDelta, rho, prior, heavyRho, fineRho, roundsRho: rho - heavyRho - fineRho };
}
