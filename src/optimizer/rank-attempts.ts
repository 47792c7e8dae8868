/** Which attempt to keep (SPEC section 5): all green first, then fewest failing checks, then the smallest total excess. */
export interface AttemptScore {
  readonly allGreen: boolean;
  /** Failing checks; Infinity when the attempt produced nothing to evaluate. */
  readonly failing: number;
  /** Sum over failing checks of how far past the threshold they are. */
  readonly excess: number;
}

/** Negative when `a` is better than `b`; ties keep the earlier attempt. */
export function compareAttempts(a: AttemptScore, b: AttemptScore): number {
  if (a.allGreen !== b.allGreen) return a.allGreen ? -1 : 1;
  if (a.failing !== b.failing) return a.failing < b.failing ? -1 : 1;
  return a.excess - b.excess;
}

export function bestAttempt<T extends AttemptScore>(attempts: readonly T[]): T | undefined {
  return attempts.reduce<T | undefined>(
    (best, a) => (best === undefined || compareAttempts(a, best) < 0 ? a : best),
    undefined,
  );
}
