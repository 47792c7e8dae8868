/**
 * AIM's workload and candidates (McKenna et al. 2022, section 4): the workload is every marginal
 * of `degree` attributes (those of at most MAX_WORKLOAD_CELLS cells, as the reference does); the
 * candidates are every marginal inside one of them, each weighted by how much of the workload it
 * touches, w_r = sum over workload marginals s of |r intersect s|.
 */
import { cellCount } from './factor.js';

/** Workload marginals larger than this are left out. */
export const MAX_WORKLOAD_CELLS = 10000;

export interface Candidate {
  readonly clique: number[];
  readonly weight: number;
}

export interface Workload {
  readonly marginals: number[][];
  readonly candidates: Candidate[];
}

export function workload(sizes: readonly number[], degree: number): Workload {
  const d = sizes.length;
  const marginals = subsets(
    Array.from({ length: d }, (_, i) => i),
    Math.min(degree, d),
  ).filter((s) => cellCount(sizes, s) <= MAX_WORKLOAD_CELLS);
  const closure = new Map<string, number[]>();
  for (const m of marginals)
    for (let k = 1; k <= m.length; k++) for (const s of subsets(m, k)) closure.set(s.join(','), s);
  // Every attribute is a candidate, even one whose workload marginals are all too large.
  for (let a = 0; a < d; a++) closure.set(String(a), [a]);
  const candidates = [...closure.values()]
    .sort((x, y) => x.length - y.length || compare(x, y))
    .map((clique) => ({
      clique,
      weight: marginals.reduce((w, m) => w + clique.filter((a) => m.includes(a)).length, 0),
    }));
  return { marginals, candidates };
}

function compare(x: readonly number[], y: readonly number[]): number {
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/** Every k-subset of `items` (sorted input gives sorted subsets), in lexicographic order. */
export function subsets(items: readonly number[], k: number): number[][] {
  const out: number[][] = [];
  const pick: number[] = [];
  const walk = (from: number) => {
    if (pick.length === k) {
      out.push([...pick]);
      return;
    }
    for (let i = from; i <= items.length - (k - pick.length); i++) {
      pick.push(items[i]);
      walk(i + 1);
      pick.pop();
    }
  };
  walk(0);
  return out;
}
