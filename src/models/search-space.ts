/**
 * Where `--search bayes` looks in a method's space: a box narrower than the space allows (which
 * bounds what a user may set), declared next to the method. A range is absolute, or `times` the
 * parameter's default for this table (epochs and batch size scale with the rows).
 */
export type SearchRange =
  | { readonly low: number; readonly high: number; readonly log?: boolean }
  | { readonly times: readonly [number, number]; readonly log?: boolean };

export type SearchSpace = Readonly<Record<string, SearchRange>>;
