/**
 * Without DP the same select-measure loop runs on exact marginals, a fast and transparent
 * baseline. Exact marginals are consistent, so the model needs no optimisation: for the cliques
 * selected so far, measure the exact marginals of their junction tree's maximal cliques and
 * separators, and the model is their ratio, prod P(C) / prod P(S) (the maximum-likelihood
 * decomposable model; Chow-Liu's tree when the cliques are pairs). Each round adds the candidate
 * with the largest workload-weighted L1 error beyond what sampling alone would leave, sum over
 * cells of sqrt(2 x / pi) (the expected |x - E x| of a Poisson count), within the size cap and
 * keeping at least MIN_ROWS_PER_CELL rows per cell of every junction-tree clique on average: an
 * exact marginal thinner than that holds single rows, and sampling it would copy them (past
 * 32,768 rows MAX_CLIQUE_CELLS binds first). It stops when no candidate's error exceeds the
 * sampling floor.
 */
import type { Potential } from './belief-propagation.js';
import { cellCount, cliqueKey, isSubset, MapCache, project } from './factor.js';
import { l1, roundBoundary } from './aim-rounds.js';
import { GraphicalModel } from './graphical-model.js';
import { boundedTree, junctionTree } from './junction-tree.js';
import type { MarginalCounts } from './marginal-counts.js';
import type { Candidate } from './workload.js';

/** Average rows per cell an exact clique marginal must keep (fewer, and its cells single out rows). */
export const MIN_ROWS_PER_CELL = 0.25;

export interface ExactRun {
  readonly model: GraphicalModel;
  /** The cliques chosen, in order (after the one-way marginals). */
  readonly selected: number[][];
}

export interface ExactContext {
  readonly sizes: readonly number[];
  /** Exact marginal counts. */
  readonly counts: MarginalCounts;
  readonly candidates: readonly Candidate[];
  readonly rounds: number;
  readonly maxModelMb: number;
  readonly signal?: AbortSignal;
  readonly onRound?: (round: number, clique: number[]) => void;
}

export async function runExact(ctx: ExactContext): Promise<ExactRun> {
  const { sizes } = ctx;
  const maps = new MapCache(sizes);
  const rows = ctx.counts.rows;
  const counts = new Map<string, Float64Array>();
  const answer = (clique: readonly number[]) => {
    const key = cliqueKey(clique);
    let out = counts.get(key);
    if (!out) counts.set(key, (out = ctx.counts.count(clique)));
    return out;
  };
  const cliques: number[][] = sizes.map((_, a) => [a]);
  const selected: number[][] = [];
  // A source that queries fetches the junction tree's cliques first (larger than any candidate once triangulated).
  const prepare = (next: readonly number[][]) => ctx.counts.prepare?.(junctionTree(sizes, next).cliques);
  await prepare(cliques);
  let model = decomposable(sizes, cliques, answer, rows, maps);
  const fits = (next: number[][]) => {
    const tree = boundedTree(sizes, next, ctx.maxModelMb);
    return tree !== null && tree.cliques.every((c) => cellCount(sizes, c) * MIN_ROWS_PER_CELL <= Math.max(rows, 1));
  };
  const floors = ctx.candidates.map((c) => answer(c.clique).reduce((s, x) => s + Math.sqrt((2 * x) / Math.PI), 0));
  for (let t = 1; t <= ctx.rounds && !(await roundBoundary(ctx.signal)); t++) {
    let best = -1;
    let bestScore = 0;
    ctx.candidates.forEach((c, k) => {
      if (cliques.some((clique) => isSubset(c.clique, clique))) return;
      const score = c.weight * (l1(answer(c.clique), model.marginal(c.clique)) - floors[k]);
      if (score > bestScore && fits([...cliques, c.clique])) {
        best = k;
        bestScore = score;
      }
    });
    if (best < 0) break;
    const clique = ctx.candidates[best].clique;
    cliques.push(clique);
    selected.push(clique);
    await prepare(cliques);
    model = decomposable(sizes, cliques, answer, rows, maps);
    ctx.onRound?.(t, clique);
  }
  return { model, selected };
}

/** prod P(C) / prod P(S) over the junction tree of `cliques`, as log-potentials. */
function decomposable(
  sizes: readonly number[],
  cliques: readonly number[][],
  answer: (clique: readonly number[]) => Float64Array,
  rows: number,
  maps: MapCache,
): GraphicalModel {
  const tree = junctionTree(sizes, cliques);
  const potentials: Potential[] = tree.cliques.map((clique) => ({ clique, values: answer(clique).map(Math.log) }));
  tree.cliques.forEach((clique, c) => {
    const separator = tree.separators[c];
    if (!separator.length) return;
    const onSeparator = project(answer(clique), maps.get(clique, separator), cellCount(sizes, separator));
    // Where the separator is empty so is every clique cell over it (log 0): any finite value does.
    potentials.push({ clique: separator, values: onSeparator.map((x) => (x > 0 ? -Math.log(x) : 0)) });
  });
  return new GraphicalModel(sizes, potentials, Math.max(rows, 1), maps);
}
