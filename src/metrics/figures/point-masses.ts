/**
 * Values that a histogram bin would hide among their neighbours: precipitation's exact zeros share
 * the first bin with small rains, so a synthesizer that smears the zeros looks right in the bars
 * while KS, which sees the jump in the ECDF, fails. Each gets a bar of its own.
 */

/** A value held by more than this share of a table's rows (and by more than one row) is a point mass. */
export const POINT_MASS_SHARE = 0.05;

export interface PointMass {
  /** The value (dates in seconds since the epoch). */
  readonly value: number;
  /** Share of each table's rows (missing included) that hold exactly this value. */
  readonly real: number;
  readonly synthetic: number;
}

/** The point masses of either table, in increasing order, with both tables' shares. */
export function pointMasses(real: Float64Array, synthetic: Float64Array): PointMass[] {
  const counts = [valueCounts(real), valueCounts(synthetic)] as const;
  const heavy = new Set<number>();
  for (const [k, values] of [real, synthetic].entries())
    for (const [value, count] of counts[k]) if (count > Math.max(1, POINT_MASS_SHARE * values.length)) heavy.add(value);
  const share = (k: 0 | 1, value: number) => {
    const rows = k === 0 ? real.length : synthetic.length;
    return rows ? round((counts[k].get(value) ?? 0) / rows) : 0;
  };
  return [...heavy]
    .sort((a, b) => a - b)
    .map((value) => ({ value, real: share(0, value), synthetic: share(1, value) }));
}

/** The values with the point masses replaced by NaN: the rows still count, in no bin. */
export function withoutPointMasses(values: Float64Array, masses: readonly PointMass[]): Float64Array {
  if (masses.length === 0) return values;
  const heavy = new Set(masses.map((m) => m.value));
  return values.map((v) => (heavy.has(v) ? NaN : v));
}

function valueCounts(values: Float64Array): Map<number, number> {
  const counts = new Map<number, number>();
  for (const v of values) if (!Number.isNaN(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

const round = (x: number): number => Number(x.toPrecision(6));
