/** What a run's attempts are: one, the retry loop's, the Bayesian search's or a grid's (SPEC section 5). */
import type { MethodId } from '../models/registry.js';

export type AttemptPlan =
  | { readonly kind: 'retry'; readonly maxAttempts: number }
  /** `--search bayes`: `methods` are those it may choose between (several with `--method auto`). */
  | { readonly kind: 'bayes'; readonly maxAttempts: number; readonly methods: readonly MethodId[] }
  | { readonly kind: 'grid'; readonly points: Record<string, number>[] };

/** Attempts of the search or the grid that run side by side unless told (bench/results/parallel-attempts.md). */
export const DEFAULT_PARALLEL_ATTEMPTS = 1;

/** The most attempts a plan makes. */
export const plannedAttempts = (plan: AttemptPlan): number =>
  plan.kind === 'grid' ? plan.points.length : plan.maxAttempts;
