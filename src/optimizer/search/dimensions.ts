/**
 * The box a search moves in: a method's declared search ranges, resolved for this table (a `times`
 * range is a multiple of the parameter's default here) and clipped to what the space allows. Each
 * dimension maps to [0, 1] (logarithmically where declared) so the surrogate sees one scale.
 */
import type { SearchSpace } from '../../models/search-space.js';
import { clampParam, type Space } from '../../models/space.js';

export interface Dimension {
  readonly name: string;
  readonly kind: 'int' | 'float';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
}

/**
 * The dimensions of `search` for a table whose defaults are `defaults`; `fixed` names the
 * parameters the user set, which the search leaves alone. A range that collapses to a point (a
 * default at the space's edge) is no dimension.
 */
export function searchDimensions(
  space: Space,
  search: SearchSpace,
  defaults: Readonly<Record<string, number>>,
  fixed: ReadonlySet<string> = new Set(),
): Dimension[] {
  const dims: Dimension[] = [];
  for (const [name, range] of Object.entries(search)) {
    const spec = space[name];
    if (!spec) throw new Error(`search range for '${name}', which the space does not declare`);
    if (fixed.has(name)) continue;
    const [a, b] = 'times' in range ? range.times.map((t) => t * defaults[name]) : [range.low, range.high];
    const low = clampParam(spec, Math.min(a, b));
    const high = clampParam(spec, Math.max(a, b));
    if (!(high > low)) continue;
    dims.push({ name, kind: spec.kind, low, high, log: Boolean(range.log) && low > 0 });
  }
  return dims;
}

/** A value's place in its dimension, 0 at low and 1 at high (clipped). */
export function toUnit(dim: Dimension, value: number): number {
  const u = dim.log
    ? (Math.log(value) - Math.log(dim.low)) / (Math.log(dim.high) - Math.log(dim.low))
    : (value - dim.low) / (dim.high - dim.low);
  return Math.min(1, Math.max(0, u));
}

/** The value at place `u` of the dimension, a whole number for int parameters. */
export function fromUnit(dim: Dimension, u: number): number {
  const t = Math.min(1, Math.max(0, u));
  const value = dim.log
    ? Math.exp(Math.log(dim.low) + t * (Math.log(dim.high) - Math.log(dim.low)))
    : dim.low + t * (dim.high - dim.low);
  if (dim.kind === 'int') return Math.min(dim.high, Math.max(dim.low, Math.round(value)));
  return Number(value.toPrecision(4));
}
