/**
 * AIM fitted from a statistics source (the user's database, or DuckDB over a file) instead of rows
 * in memory: the same fit (fit.ts fitInput), with every count it reads coming from a query over
 * public or DP-released bins. Per column, the spec comes from its statistics (declared public or
 * DP-released; under DP every column needs them), or without DP a numeric column's bounds and step
 * from aggregates; a categorical column's levels are never read (that would group by the raw
 * column): they must be declared. A binned numeric column's release counts its fine grid (an
 * equal-width grid query) and, as heavy-value candidates, every grid value when each leaf is one
 * value, else its bounds and zero. The marginals: one query per workload marginal (a pair at the
 * default degree), whose projections answer its subsets.
 */
import type { CategoricalStatistics, ColumnStatistics } from '../../core/column-statistics.js';
import { inputError } from '../../core/errors.js';
import type { GridBinning } from '../../statistics/binning.js';
import type { SourceColumn, StatisticsSource } from '../../statistics/source.js';
import type { FitOptions } from '../synthesizer.js';
import { binCount, canonical, type ColumnCoder } from './discretise/coder.js';
import type { Spec } from './discretise/discretise.js';
import { enumerates, gridOf, type NumericCounts, type NumericSpec } from './discretise/numeric-coder.js';
import { cellCount, cliqueKey, isSubset, MapCache, project, type Clique } from './factor.js';
import { fitInput, type AimInput, type FitOverrides, type Fitted } from './fit.js';
import type { MarginalCounts } from './marginal-counts.js';
import { categoricalBinning, heavyCandidates, numericBinning } from './source-bins.js';
import type { AimParams } from './space.js';

/** Steps a numeric column's values are tested against, coarsest first (decimalStep's and dateStep's). */
const NUMBER_STEPS = [1, 0.1, 0.01, 0.001, 0.0001, 0.00001, 0.000001];
const DATE_STEPS = [86400, 3600, 60, 1];

async function specOf(
  source: StatisticsSource,
  column: SourceColumn,
  stats: ColumnStatistics | undefined,
  bins: number,
): Promise<Spec> {
  if (stats?.kind === 'categorical') return { kind: 'categorical', levels: [...stats.levels], missing: stats.missing };
  const columnKind = column.kind === 'datetime' ? 'datetime' : 'numeric';
  if (stats) {
    const { min, max, step, missing } = stats;
    return { kind: 'numeric', name: column.name, columnKind, min, max, step, missing, bins };
  }
  if (column.kind === 'categorical')
    throw inputError(
      `the levels of '${column.name}' are not declared: they are not read from the database, since that would group by the raw column`,
      'Declare its categories in the metadata file ({schema}).',
    );
  const bounds = await source.bounds(column.name);
  const present = bounds.present > 0;
  const step = present ? await source.step(column.name, column.kind === 'datetime' ? DATE_STEPS : NUMBER_STEPS) : 0;
  return {
    kind: 'numeric',
    name: column.name,
    columnKind,
    min: present ? bounds.min : 0,
    max: present ? bounds.max : 0,
    step,
    missing: bounds.present < bounds.rows,
    bins,
  };
}

async function numericCounts(source: StatisticsSource, spec: NumericSpec): Promise<NumericCounts> {
  const grid = gridOf(spec);
  const binning: GridBinning = {
    kind: 'grid',
    column: spec.name,
    start: grid.start,
    width: grid.width,
    count: grid.count,
    // canonical() clamps to the bounds before leafOf() clamps to the grid: below and above land in the end leaves.
    below: 0,
    above: grid.count - 1,
    missing: grid.count,
    size: grid.count + 1,
  };
  const leafCounts = (await source.marginal([binning])).slice(0, grid.count);
  // A stepped grid with one value per leaf: the leaves are the values, every one a candidate.
  if (spec.step > 0 && Math.abs(grid.width - spec.step) < 1e-9 * spec.step) {
    const values = Float64Array.from({ length: grid.count }, (_, k) => grid.start + (k + 0.5) * grid.width);
    return {
      leafCounts,
      distinct: { values: values.map((v) => canonical(v, spec.step, spec.min, spec.max)), counts: leafCounts },
    };
  }
  const candidates = heavyCandidates(spec);
  const counts = await source.marginal([candidates.binning]);
  return {
    leafCounts,
    distinct: { values: Float64Array.from(candidates.values), counts: counts.slice(0, candidates.values.length) },
  };
}

/** Counts per workload marginal (and per attribute in none), fetched first; subsets are projections. */
async function marginalCounts(
  source: StatisticsSource,
  binnings: readonly ReturnType<typeof numericBinning | typeof categoricalBinning>[],
  sizes: readonly number[],
  workloadMarginals: readonly number[][],
): Promise<MarginalCounts> {
  // Where the engine can keep every row's cells (DuckDB), one scan of the source serves every marginal below.
  await source.keepBins?.(binnings);
  const fetched: { clique: Clique; values: Float64Array }[] = [];
  const holder = (clique: Clique) => fetched.find((f) => isSubset(clique, f.clique));
  const fetch = async (cliques: readonly Clique[]) => {
    for (const clique of cliques)
      if (!holder(clique)) fetched.push({ clique, values: await source.marginal(clique.map((a) => binnings[a])) });
  };
  const first = [...workloadMarginals];
  for (let a = 0; a < sizes.length; a++) if (!first.some((c) => c.includes(a))) first.push([a]);
  await fetch(first);
  const rows = fetched.length ? fetched[0].values.reduce((s, x) => s + x, 0) : await source.count();
  const maps = new MapCache(sizes);
  const cache = new Map<string, Float64Array>();
  return {
    rows,
    prepare: fetch,
    count(clique) {
      const key = cliqueKey(clique);
      let out = cache.get(key);
      if (!out) {
        const from = holder(clique);
        if (!from) throw new Error(`no fetched marginal holds ${key}`);
        out = project(from.values, maps.get(from.clique, clique), cellCount(sizes, clique));
        cache.set(key, out);
      }
      return out.slice();
    },
  };
}

export interface SourceFit {
  readonly source: StatisticsSource;
  /** Per source column, its statistics (declared public or DP-released); under DP every one is needed. */
  readonly statistics?: readonly (ColumnStatistics | undefined)[];
}

export async function fitAimFromSource(
  input: SourceFit,
  params: AimParams,
  options: FitOptions,
  overrides: FitOverrides = {},
): Promise<Fitted> {
  const { source } = input;
  const columns = source.columns;
  const stats = input.statistics ?? columns.map(() => undefined);
  if (options.privacy && (stats.some((s) => !s) || !options.statistics))
    throw new Error('AIM under DP needs every column statistics, public or DP-released');
  const specs: Spec[] = [];
  for (const [j, column] of columns.entries()) specs.push(await specOf(source, column, stats[j], params.bins));
  const counts: (NumericCounts | undefined)[] = [];
  for (const [j, spec] of specs.entries())
    counts[j] = spec.kind === 'numeric' && !enumerates(spec) ? await numericCounts(source, spec) : undefined;
  const aim: AimInput = {
    names: columns.map((c) => c.name),
    specs,
    numericCounts: (j) => {
      const c = counts[j];
      if (!c) throw new Error(`no counts were read for column ${columns[j].name}`);
      return c;
    },
    marginals: (coders: readonly ColumnCoder[], sizes, workloadMarginals) =>
      marginalCounts(
        source,
        coders.map((coder, j) =>
          coder.kind === 'numeric'
            ? numericBinning(coder)
            : categoricalBinning(coder, stats[j] as CategoricalStatistics | undefined),
        ),
        sizes.length ? sizes : coders.map(binCount),
        workloadMarginals,
      ),
  };
  return fitInput(aim, params, options, overrides);
}
