/**
 * Bins back to values. A categorical bin is its level (or missing); a numeric point bin is its
 * exact value; a range bin draws a leaf of the fine grid by the leaves' weights (uniformly when
 * they are all 0), then a value uniformly within that leaf and the bin, on the column's step grid
 * and off the point bins' values (which have bins of their own), then rounds as the column does.
 * Post-processing only: the rng is the seeded one of sampling.
 */
import type { Rng } from '../../../core/rng.js';
import type { Column } from '../../../core/table.js';
import type { ColumnTemplate } from '../../column-template.js';
import { roundInRange } from '../../transformers/codec.js';
import type { ColumnCoder, NumericCoder } from './coder.js';
import { binLeaves } from './range-bins.js';

export function decodeColumn(coder: ColumnCoder, template: ColumnTemplate, codes: Int32Array, rng: Rng): Column {
  if (coder.kind === 'categorical') {
    const out = new Int32Array(codes.length);
    for (let r = 0; r < codes.length; r++) out[r] = codes[r] < coder.levels.length ? codes[r] : -1;
    return { name: template.name, kind: 'categorical', codes: out, levels: template.levels ?? coder.levels };
  }
  const decoder = new RangeDecoder(coder);
  const values = new Float64Array(codes.length);
  const points = coder.points.length;
  const ranges = coder.cuts ? coder.cuts.length + 1 : 0;
  for (let r = 0; r < codes.length; r++) {
    const bin = codes[r];
    values[r] = bin < points ? coder.points[bin] : bin < points + ranges ? decoder.draw(bin - points, rng) : NaN;
  }
  return { name: template.name, kind: coder.columnKind, values };
}

class RangeDecoder {
  /** Per range bin, the cumulative weights of its leaves (built on first use). */
  private readonly cumulative = new Map<number, { first: number; sums: Float64Array }>();
  private readonly points: Set<number>;

  constructor(private readonly coder: NumericCoder) {
    this.points = new Set(coder.points);
  }

  draw(bin: number, rng: Rng): number {
    const { coder } = this;
    const { first, sums } = this.leaves(bin);
    const total = sums[sums.length - 1];
    const k = total > 0 ? searchAbove(sums, rng.next() * total) : rng.int(sums.length);
    const leaf = first + k;
    const cuts = coder.cuts!;
    const lo = Math.max(coder.grid.start + leaf * coder.grid.width, bin > 0 ? cuts[bin - 1] : -Infinity);
    const hi = Math.min(coder.grid.start + (leaf + 1) * coder.grid.width, bin < cuts.length ? cuts[bin] : Infinity);
    return this.inside(lo, hi, rng);
  }

  /**
   * A value in [lo, hi) and in [min, max]: uniform, or for a stepped column a uniform grid value
   * (leaf edges and cuts lie between grid values) off the point bins' values when it can be.
   */
  private inside(lo: number, hi: number, rng: Rng): number {
    const { step, min, max } = this.coder;
    if (!(step > 0)) {
      const [a, b] = [Math.max(lo, min), Math.min(hi, max)];
      return roundInRange(b > a ? a + rng.next() * (b - a) : a, 0, min, max);
    }
    const first = Math.max(Math.ceil(lo / step - 1e-9), Math.ceil(min / step - 1e-9));
    const last = Math.min(Math.ceil(hi / step - 1e-9) - 1, Math.floor(max / step + 1e-9));
    if (last < first) return roundInRange(Math.max(lo, min), step, min, max);
    const draw = () => roundInRange((first + rng.int(last - first + 1)) * step, step, min, max);
    let value = draw();
    for (let tries = 0; tries < 16 && this.points.has(value); tries++) value = draw();
    return value;
  }

  private leaves(bin: number) {
    let entry = this.cumulative.get(bin);
    if (!entry) {
      const [first, end] = binLeaves(this.coder.grid, this.coder.cuts!, bin);
      // The measured leaves; a bin with none (a sparse tail) decodes by its groups' counts, else uniformly.
      let source = this.coder.weights;
      if (!source.slice(first, end).some((w) => w > 0)) source = this.coder.tails;
      const sums = new Float64Array(end - first);
      let sum = 0;
      for (let j = first; j < end; j++) sums[j - first] = sum += source[j] ?? 0;
      entry = { first, sums };
      this.cumulative.set(bin, entry);
    }
    return entry;
  }
}

/** The first index whose cumulative sum exceeds `target`. */
function searchAbove(sums: Float64Array, target: number): number {
  let lo = 0;
  let hi = sums.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sums[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
