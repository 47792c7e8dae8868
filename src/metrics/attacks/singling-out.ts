/**
 * Singling out (Giomi et al. 2022, section 3.1): predicates built from synthetic rows that match
 * exactly one synthetic row are tried on the training rows (main) and the holdout (control); a
 * predicate singles out when it matches exactly one row there. A predicate's chance to single
 * out depends on the population size, so when the holdout's size differs from the training
 * rows', the control count is scaled as Anonymeter does: the Cohen-Nissim model
 * n_succ(n) = norm * ((1 - (n w + 1)(1 - w)^n) / (n + 1)) is fitted to the control successes on
 * subsamples of the holdout and the count multiplied by model(|R|) / model(|H|).
 */
import type { Table } from '../../core/table.js';
import { sampleIndices, type Rng } from '../../core/rng.js';
import { attackResult, attackRng, type AttackOptions, type AttackResult } from './attack-result.js';
import { predicateCounter, type PredicateCounter } from './predicate-counter.js';
import { numericMedians, predicateFromRow, predicateKey, type Predicate } from './predicates.js';

/** Columns per predicate (Anonymeter's default n_cols). */
export const PREDICATE_WIDTH = 3;
/** Tries per wanted predicate before giving up on finding more. */
const ATTEMPTS_PER_ATTACK = 200;

export function singlingOutAttack(
  train: Table,
  synthetic: Table,
  holdout: Table,
  options: AttackOptions & { readonly width?: number },
): AttackResult {
  const rng = attackRng(options.seed, 0x53494e47);
  const width = Math.min(options.width ?? PREDICATE_WIDTH, synthetic.columns.length);
  const medians = numericMedians(synthetic);
  const found = new Map<string, Predicate>();
  const amongSynthetic = predicateCounter(synthetic);
  for (let attempt = 0; found.size < options.attacks && attempt < options.attacks * ATTEMPTS_PER_ATTACK; attempt++) {
    if (synthetic.rowCount === 0) break;
    const predicate = predicateFromRow(synthetic, rng.int(synthetic.rowCount), width, medians, rng);
    const key = predicateKey(predicate);
    if (!found.has(key) && amongSynthetic.count(predicate, 2) === 1) found.set(key, predicate);
  }
  const predicates = [...found.values()];
  const amongHoldout = predicateCounter(holdout);
  const main = singles(predicates, predicateCounter(train));
  let control = singles(predicates, amongHoldout);
  let correction = 1;
  if (holdout.rowCount !== train.rowCount && predicates.length > 0) {
    correction = sizeCorrection(predicates, amongHoldout, holdout.rowCount, train.rowCount, rng);
    control = Math.min(predicates.length, control * correction);
  }
  return attackResult(predicates.length, main, control, {
    predicates: predicates.length,
    control_size_correction: correction,
  });
}

/** How many predicates match exactly one row (of those `within` marks, else all). */
const singles = (predicates: readonly Predicate[], counter: PredicateCounter, within?: Uint8Array): number =>
  predicates.reduce((n, p) => n + (counter.count(p, 2, within) === 1 ? 1 : 0), 0);

/** model(target size) / model(holdout size), fitted on holdout subsamples. */
function sizeCorrection(
  predicates: readonly Predicate[],
  amongHoldout: PredicateCounter,
  holdoutSize: number,
  targetSize: number,
  rng: Rng,
): number {
  const sizes: number[] = [];
  const counts: number[] = [];
  const smallest = Math.min(1000, holdoutSize);
  const steps = 5;
  for (let s = 0; s < steps; s++) {
    const size = Math.round(smallest + ((holdoutSize - smallest) * s) / (steps - 1));
    for (let repeat = 0; repeat < 2; repeat++) {
      const within = new Uint8Array(holdoutSize);
      for (const r of sampleIndices(holdoutSize, size, rng)) within[r] = 1;
      sizes.push(size);
      counts.push(singles(predicates, amongHoldout, within));
    }
  }
  const model = fitSinglingOutModel(sizes, counts);
  const atHoldout = model(holdoutSize);
  return atHoldout > 0 ? model(targetSize) / atHoldout : 1;
}

/** P(a predicate of weight w in [0, w_eff] singles out among n rows), integrated: Cohen and Nissim 2020. */
export const singlingOutIntegral = (n: number, w: number): number => (1 - (n * w + 1) * (1 - w) ** n) / (n + 1);

/** Least squares of norm * integral(n, w) over a log grid of w (norm in closed form for each w). */
export function fitSinglingOutModel(sizes: number[], counts: number[]): (n: number) => number {
  let best = { sse: Infinity, w: 1, norm: 0 };
  for (let e = -8; e <= 0; e += 0.02) {
    const w = 10 ** e;
    let xy = 0;
    let xx = 0;
    for (let i = 0; i < sizes.length; i++) {
      const x = singlingOutIntegral(sizes[i], w);
      xy += x * counts[i];
      xx += x * x;
    }
    if (xx === 0) continue;
    const norm = Math.max(xy / xx, 0);
    let sse = 0;
    for (let i = 0; i < sizes.length; i++) sse += (norm * singlingOutIntegral(sizes[i], w) - counts[i]) ** 2;
    if (sse < best.sse) best = { sse, w, norm };
  }
  return (n) => best.norm * singlingOutIntegral(n, best.w);
}
