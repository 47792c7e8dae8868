/**
 * CTGAN's conditional vector (Xu et al. 2019, section 4.3): a one-hot over every discrete
 * column's categories, with one category set. Training picks a discrete column uniformly and a
 * category by its log-frequency, so rare categories are trained on often enough; sampling picks
 * the column uniformly and the category by its real frequency, so the rows follow the data.
 * (The reference's sample_original_condvec reuses the log-frequency probabilities; the paper and
 * this code use the real ones.) Built from category counts alone, so a saved model can sample.
 */
import type { Rng } from '../../core/rng.js';
import type { DiscreteSpan } from './spans.js';

/** One batch of conditional vectors, with the column and category chosen for each row. */
export interface CondDraw {
  /** [rows, condition width] one-hot rows. */
  readonly cond: Float32Array;
  /** Index into the discrete spans, per row. */
  readonly column: Int32Array;
  /** Category within that column, per row. */
  readonly category: Int32Array;
}

export class CondVectors {
  readonly width: number;
  private readonly logCumulative: Float64Array[];
  private readonly realCumulative: Float64Array[];

  /** `counts[j][k]`: training rows holding category k of discrete column j. */
  constructor(
    readonly discrete: readonly DiscreteSpan[],
    readonly counts: readonly (readonly number[])[],
  ) {
    this.width = discrete.reduce((n, d) => n + d.size, 0);
    if (counts.length !== discrete.length || counts.some((c, j) => c.length !== discrete[j].size))
      throw new Error('category counts do not match the discrete columns');
    this.logCumulative = counts.map((c) => cumulative(c.map((n) => Math.log(n + 1))));
    this.realCumulative = counts.map((c) => cumulative(c));
  }

  get columns(): number {
    return this.discrete.length;
  }

  /** Training's draw: column uniform, category by log-frequency. */
  training(rows: number, rng: Rng): CondDraw {
    return this.draw(rows, rng, this.logCumulative);
  }

  /** Sampling's draw: column uniform, category by its real frequency. */
  original(rows: number, rng: Rng): CondDraw {
    return this.draw(rows, rng, this.realCumulative);
  }

  /** Every row asks for category `category` of discrete column `column` (conditional sampling). */
  fixed(rows: number, column: number, category: number): CondDraw {
    const cond = new Float32Array(rows * this.width);
    const at = this.discrete[column].condOffset + category;
    for (let r = 0; r < rows; r++) cond[r * this.width + at] = 1;
    return { cond, column: new Int32Array(rows).fill(column), category: new Int32Array(rows).fill(category) };
  }

  private draw(rows: number, rng: Rng, cumulativeOf: Float64Array[]): CondDraw {
    const cond = new Float32Array(rows * this.width);
    const column = new Int32Array(rows);
    const category = new Int32Array(rows);
    if (this.columns === 0) return { cond, column, category };
    for (let r = 0; r < rows; r++) {
      const j = rng.int(this.columns);
      const k = pick(cumulativeOf[j], rng.next());
      column[r] = j;
      category[r] = k;
      cond[r * this.width + this.discrete[j].condOffset + k] = 1;
    }
    return { cond, column, category };
  }
}

/** Normalised running sums of `weights`. */
function cumulative(weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const sums = new Float64Array(weights.length);
  let run = 0;
  weights.forEach((w, k) => (sums[k] = run += w / total));
  return sums;
}

/** The first index whose cumulative share exceeds u (the last one with weight, for rounding at the top). */
function pick(sums: Float64Array, u: number): number {
  let lo = 0;
  let hi = sums.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sums[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  // Rounding can leave the last sum a hair under 1: never land on a category without rows.
  while (lo > 0 && sums[lo] === sums[lo - 1]) lo--;
  return lo;
}
