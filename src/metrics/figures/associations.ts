/**
 * The association matrices behind corr_delta (SPEC section 3) for the report's heatmaps: real,
 * synthetic and their absolute difference, and the column pairs that add most to corr_delta.
 * Above `maxColumns` columns the matrices keep the columns whose pairs differ most, and say so.
 */
import { columnPairs, MAX_COLUMN_PAIRS } from '../formulas/column-pairs.js';
import { pairAssociation } from '../formulas/pair-association.js';
import { isNumeric, type Column, type Table } from '../../core/table.js';

/** Heatmap columns by default: 20 x 20 cells still read at a glance. */
export const DEFAULT_HEATMAP_COLUMNS = 20;
/** Pairs listed as the largest contributors to corr_delta. */
export const TOP_PAIRS = 10;

export type AssociationMeasure = 'pearson' | 'cramers_v' | 'correlation_ratio';

export interface PairContribution {
  readonly columns: [string, string];
  readonly measure: AssociationMeasure;
  readonly real: number;
  readonly synthetic: number;
  readonly difference: number;
  /** This pair's part of the sum corr_delta averages (0..1). */
  readonly share_of_corr_delta: number;
}

export interface AssociationFigures {
  /** The columns of the matrices, in table order. */
  readonly columns: string[];
  readonly total_columns: number;
  /** True when the table has more columns than the matrices show (those with the largest differences are kept). */
  readonly limited: boolean;
  /** Symmetric matrices over `columns`; the diagonal is null. */
  readonly real: (number | null)[][];
  readonly synthetic: (number | null)[][];
  readonly difference: (number | null)[][];
  readonly top_pairs: PairContribution[];
  /** corr_delta's pairs are a seeded sample on a very wide table; then so are these contributions. */
  readonly pairs_sampled: boolean;
}

interface Pair {
  readonly i: number;
  readonly j: number;
  readonly real: number;
  readonly synthetic: number;
  readonly difference: number;
}

export function measureOf(a: Column, b: Column): AssociationMeasure {
  if (isNumeric(a) && isNumeric(b)) return 'pearson';
  return isNumeric(a) || isNumeric(b) ? 'correlation_ratio' : 'cramers_v';
}

export function associationFigures(
  real: Table,
  synthetic: Table,
  options: { maxColumns: number; seed: number },
): AssociationFigures | null {
  const n = real.columns.length;
  if (n < 2) return null;
  // The pairs corr_delta averages (same cap and seed), so the contributions add up to its value.
  const pairs = columnPairs(n, MAX_COLUMN_PAIRS, options.seed);
  const found: Pair[] = [];
  const columnScore = new Float64Array(n);
  const known = new Map<number, Pair>();
  let total = 0;
  for (let k = 0; k < pairs.first.length; k++) {
    const [i, j] = [pairs.first[k], pairs.second[k]];
    const a = pairAssociation(real.columns[i], real.columns[j]);
    const b = pairAssociation(synthetic.columns[i], synthetic.columns[j]);
    const difference = Math.abs(a - b);
    found.push({ i, j, real: a, synthetic: b, difference });
    known.set(i * n + j, found[found.length - 1]);
    columnScore[i] += difference;
    columnScore[j] += difference;
    total += difference;
  }
  const keep =
    n <= options.maxColumns
      ? Array.from({ length: n }, (_, k) => k)
      : Array.from({ length: n }, (_, k) => k)
          .sort((a, b) => columnScore[b] - columnScore[a] || a - b)
          .slice(0, options.maxColumns)
          .sort((a, b) => a - b);
  const matrix = () => keep.map(() => keep.map((): number | null => null));
  const [r, s, d] = [matrix(), matrix(), matrix()];
  keep.forEach((i, x) =>
    keep.forEach((j, y) => {
      if (y <= x) return;
      // A pair outside corr_delta's sample (very wide tables only) is computed here.
      const a = known.get(i * n + j)?.real ?? pairAssociation(real.columns[i], real.columns[j]);
      const b = known.get(i * n + j)?.synthetic ?? pairAssociation(synthetic.columns[i], synthetic.columns[j]);
      r[x][y] = r[y][x] = round(a);
      s[x][y] = s[y][x] = round(b);
      d[x][y] = d[y][x] = round(Math.abs(a - b));
    }),
  );
  const top = found.sort((a, b) => b.difference - a.difference || a.i - b.i || a.j - b.j).slice(0, TOP_PAIRS);
  return {
    columns: keep.map((k) => real.columns[k].name),
    total_columns: n,
    limited: keep.length < n,
    real: r,
    synthetic: s,
    difference: d,
    top_pairs: top
      .filter((p) => p.difference > 0)
      .map((p) => ({
        columns: [real.columns[p.i].name, real.columns[p.j].name],
        measure: measureOf(real.columns[p.i], real.columns[p.j]),
        real: round(p.real),
        synthetic: round(p.synthetic),
        difference: round(p.difference),
        share_of_corr_delta: total > 0 ? round(p.difference / total) : 0,
      })),
    pairs_sampled: pairs.sampled,
  };
}

const round = (x: number): number => Number(x.toPrecision(6));
