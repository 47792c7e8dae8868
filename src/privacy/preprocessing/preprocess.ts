/**
 * DP preprocessing for generate (SPEC sections 6 and 8): everything a model learns outside the
 * clipped, noised gradients, and everything the run decides about the table, is either declared
 * public (the metadata file, --public-bounds, --discrete/--continuous) or released here with its own
 * share of the budget, read from the training rows:
 * - the number of training rows, a noisy count (unless the metadata declares the row count);
 * - per column whose kind is not declared, its kind, whole-number rounding and scale (one noisy
 *   profile histogram, column-profile.ts), then its bounds and quantiles or its categories;
 * - per column whose kind is declared but not its bounds or categories, those;
 * - per numeric or date column whose bounds are declared without quantiles, its quantiles (one
 *   noisy histogram inside the bounds), when the method reads quantiles (the neural methods'
 *   transforms do; evenly spaced ones would flatten the column).
 * The share is split evenly over these releases (sequential composition); categories spend delta
 * too (the stability-based histogram). All noise is the OS CSPRNG's.
 *
 * For a method accounted in zCDP (AIM) the releases are charged in rho instead (`zcdp`): a Laplace
 * release at epsilon e is pure e-DP, so (e^2 / 2)-zCDP (Bun and Steinke 2016, Proposition 1.4),
 * and the shares compose by adding rho, not epsilon, so each release gets a far larger epsilon for
 * the same part of the budget. Each column's epsilon is then split in squares (profile and release
 * together cost e^2 / 2), a numeric or date column's bounds cover it (dpNumericCover, dpDateCover:
 * the method cuts its own bins inside them) and its categories are a thresholded discrete Gaussian histogram, whose
 * threshold is sqrt(2 ln(1/delta)) noise scales where Laplace's is ln(1/delta) of them.
 */
import type { CategoricalStatistics, ColumnStatistics, NumericStatistics } from '../../core/column-statistics.js';
import { inputError } from '../../core/errors.js';
import type { ColumnMetadata } from '../../core/schema/metadata.js';
import { recastColumn } from '../../core/schema/recast.js';
import { canonicalNumberText, isNumberText } from '../../core/schema/values.js';
import type { ColumnKind, CategoricalColumn, NumericColumn, Table } from '../../core/table.js';
import { addDiscreteGaussian, discreteGaussianThreshold } from '../discrete-gaussian.js';
import { laplace } from '../mechanisms.js';
import { stableCounts } from '../noisy-histogram.js';
import { releaseProfile, type ColumnProfile } from './column-profile.js';
import {
  DATE_WINDOW,
  DP_QUANTILES,
  dpDateCover,
  dpDateEstimate,
  dpNumericAlways,
  dpNumericCover,
  dpQuantilesWithin,
} from './dp-quantiles.js';

/** The level every category the model may not know becomes; it decodes as itself, visibly. */
export const PLACEHOLDER_LEVEL = '(other)';

/** Share of a profiled column's epsilon spent on its profile; the rest releases its bounds or categories. */
export const PROFILE_SHARE = 1 / 4;

/** How one release was made, for the report. */
export interface EstimatedColumn {
  readonly column: string;
  readonly how: string;
  readonly epsilon: number;
  readonly delta: number | null;
}

export interface PreprocessingRecord {
  /** What preprocessing spent (0 when everything is declared). */
  readonly epsilon: number;
  readonly delta: number;
  readonly estimated: EstimatedColumn[];
  readonly public: string[];
  /** The level unreleased categories decode as. */
  readonly placeholder: string;
}

/**
 * What one column needs released: nothing (declared), its profile and then its bounds (a number or
 * date column, or one of undeclared kind, which may turn out categorical), its categories, or only
 * its quantiles inside declared bounds.
 */
type Need = 'nothing' | 'profile' | 'categories' | 'quantiles';

interface ColumnPlan {
  readonly name: string;
  readonly declared: ColumnMetadata | undefined;
  /** The declared kind, or null when the profile decides. */
  readonly kind: ColumnKind | null;
  readonly need: Need;
}

/** The plan of releases: the columns' needs and how many equal shares the budget splits into. */
export interface PreprocessingPlan {
  readonly columns: ColumnPlan[];
  /** The row count is declared public: no share is spent counting. */
  readonly publicRows: boolean;
  /** Equal shares of the preprocessing epsilon: the count (unless public) and each column that needs a release. */
  readonly shares: number;
  /** Columns that may release categories: each takes an equal part of the preprocessing delta. */
  readonly categoryReleases: number;
}

/** The kind a declaration implies: its "kind", else categories mean categorical and bounds numeric. */
export function declaredKind(meta: ColumnMetadata | undefined): ColumnKind | null {
  if (!meta) return null;
  switch (meta.kind) {
    case 'numeric':
    case 'integer':
      return 'numeric';
    case 'datetime':
      return 'datetime';
    case 'categorical':
    case 'boolean':
      return 'categorical';
  }
  if (meta.categories) return 'categorical';
  if (meta.min !== undefined) return 'numeric';
  return null;
}

/**
 * The releases a table needs. `readsQuantiles`: whether the method reads numeric quantiles (then
 * bounds declared without them still need their quantiles released).
 */
export function planPreprocessing(
  names: readonly string[],
  declared: ReadonlyMap<string, ColumnMetadata>,
  publicRows: boolean,
  readsQuantiles: boolean,
): PreprocessingPlan {
  const columns = names.map((name): ColumnPlan => {
    const meta = declared.get(name);
    const kind = declaredKind(meta);
    const need: Need =
      kind === 'categorical'
        ? meta?.categories
          ? 'nothing'
          : 'categories'
        : kind !== null && meta?.min !== undefined
          ? readsQuantiles && !meta.quantiles
            ? 'quantiles'
            : 'nothing'
          : 'profile';
    return { name, declared: meta, kind, need };
  });
  const releases = columns.filter((c) => c.need !== 'nothing').length;
  return {
    columns,
    publicRows,
    shares: releases + (publicRows ? 0 : 1),
    categoryReleases: columns.filter((c) => c.need === 'categories' || (c.need === 'profile' && c.kind === null))
      .length,
  };
}

/** The noisy count of the training rows at `epsilon` (a count moves by one with one row), at least 2. */
export function releaseRowCount(rows: number, epsilon: number): number {
  return Math.max(2, Math.round(rows + laplace(1 / epsilon)));
}

export interface ColumnReleases {
  /** Each column's kind: declared, or from its profile. */
  readonly kinds: ColumnKind[];
  /** Why each column has its kind, for the schema the report shows. */
  readonly reasons: string[];
  readonly statistics: ColumnStatistics[];
  readonly estimated: EstimatedColumn[];
  /** Columns whose released kind rests on a count within a few noise scales of nothing. */
  readonly weak: string[];
}

/**
 * The columns' releases at `epsilon` and `delta` per share. `train` is typed as read; each column is
 * recast to its released kind before its statistics are read, so nothing of the read typing counts.
 */
export async function releaseColumns(
  train: Table,
  plan: PreprocessingPlan,
  budget: {
    readonly epsilon: number;
    readonly delta: number;
    /** Charged in zCDP (rho = epsilon^2 / 2 per column): see the module comment. */
    readonly zcdp?: boolean;
  },
): Promise<ColumnReleases> {
  const zcdp = budget.zcdp === true;
  const kinds: ColumnKind[] = [];
  const reasons: string[] = [];
  const statistics: ColumnStatistics[] = [];
  const estimated: EstimatedColumn[] = [];
  const weak: string[] = [];
  for (const [index, column] of plan.columns.entries()) {
    const read = train.columns[index];
    let profile: ColumnProfile | null = null;
    let left = budget.epsilon;
    if (column.need === 'profile') {
      // In zCDP the two parts compose in squares: spend^2 + left^2 = epsilon^2.
      const spend = budget.epsilon * (zcdp ? Math.sqrt(PROFILE_SHARE) : PROFILE_SHARE);
      const declared = column.kind === 'numeric' || column.kind === 'datetime' ? column.kind : undefined;
      profile = releaseProfile(declared ? recastColumn(read, declared) : read, spend, declared);
      left = zcdp ? budget.epsilon * Math.sqrt(1 - PROFILE_SHARE) : left - spend;
      estimated.push({ column: column.name, how: profile.how, epsilon: spend, delta: null });
      if (profile.weak && !column.kind) weak.push(column.name);
    }
    const kind = column.kind ?? profile!.kind;
    kinds.push(kind);
    reasons.push(column.kind ? 'declared public' : `released under DP (${profile!.how})`);
    const typed = recastColumn(read, kind);
    if (column.need === 'nothing') {
      statistics.push(
        kind === 'categorical' ? publicCategorical(column) : publicNumeric(column, column.declared!, kind),
      );
      continue;
    }
    if (column.need === 'quantiles') {
      const declared = publicNumeric(column, column.declared!, kind);
      const quantiles = await dpQuantilesWithin((typed as NumericColumn).values, declared.min, declared.max, left);
      statistics.push({ ...declared, quantiles });
      const how = `noisy histogram inside the declared bounds: ${DP_QUANTILES} quantiles`;
      estimated.push({ column: column.name, how, epsilon: left, delta: null });
      continue;
    }
    if (kind === 'categorical') {
      const estimate = zcdp ? gaussianCategories : estimateCategories;
      const stats = estimate(column.name, typed as CategoricalColumn, left, budget.delta);
      statistics.push(stats);
      const how = zcdp
        ? `thresholded discrete Gaussian histogram (sigma ${round(1 / left)}, zCDP rho ${round((left * left) / 2)}): ${stats.levels.length - 1} categories released`
        : `stability-based histogram: ${stats.levels.length - 1} categories released`;
      estimated.push({ column: column.name, how, epsilon: left, delta: budget.delta });
      continue;
    }
    const values = (typed as NumericColumn).values;
    const estimate =
      kind === 'datetime'
        ? zcdp
          ? await dpDateCover(values, left)
          : await dpDateEstimate(values, left)
        : zcdp
          ? await dpNumericCover(values, left)
          : await dpNumericAlways(values, left);
    const step = stepOf(column.declared, kind, profile);
    statistics.push({
      kind: 'numeric',
      name: column.name,
      ...estimate,
      step,
      missing: column.declared?.missing ?? true,
    });
    const how =
      kind === 'datetime'
        ? zcdp
          ? `noisy histogram of the decades of ${DATE_WINDOW.from}-${DATE_WINDOW.to}: bounds that cover the column, one decade past the busy ones`
          : `noisy histogram of the months of ${DATE_WINDOW.from}-${DATE_WINDOW.to}: bounds and ${DP_QUANTILES} quantiles`
        : zcdp
          ? 'noisy histogram of powers of two: bounds that cover the column, one power of two past the busy ones'
          : `two-stage noisy histogram: bounds and ${DP_QUANTILES} quantiles`;
    estimated.push({ column: column.name, how, epsilon: left, delta: null });
  }
  return { kinds, reasons, statistics, estimated, weak };
}

/**
 * Rounding from declarations or the profile, never from the rows: whole numbers for a declared
 * "integer" or a profile without fractions, the declared step, a day or a second for dates.
 */
function stepOf(declared: ColumnMetadata | undefined, kind: ColumnKind, profile: ColumnProfile | null): number {
  if (declared?.step !== undefined) return declared.step;
  if (kind === 'datetime') return profile?.dateOnly ? 86400 : 1;
  if (declared?.kind === 'integer') return 1;
  return profile?.integer ? 1 : 0;
}

function publicNumeric(column: ColumnPlan, declared: ColumnMetadata, kind: ColumnKind): NumericStatistics {
  const min = declared.min!;
  const max = declared.max!;
  const quantiles =
    declared.quantiles ?? Array.from({ length: DP_QUANTILES }, (_, j) => min + ((max - min) * j) / (DP_QUANTILES - 1));
  return {
    kind: 'numeric',
    name: column.name,
    min,
    max,
    quantiles,
    step: stepOf(declared, kind, null),
    missing: declared.missing ?? true,
  };
}

const withPlaceholder = (levels: string[]): string[] => [...levels, PLACEHOLDER_LEVEL];

function publicCategorical(column: ColumnPlan): CategoricalStatistics {
  const declared = column.declared!;
  // Integer-coded categories compare as numbers ("1.0" = "1"), as recast levels do.
  const levels = declared.categories!.map((c) => (isNumberText(c) ? canonicalNumberText(c) : c));
  const repeated = levels.find((level, i) => levels.indexOf(level) !== i);
  if (repeated !== undefined)
    throw inputError(
      `the public categories of '${column.name}' name ${JSON.stringify(repeated)} twice (numbers compare as numbers)`,
      'List each category once in the metadata file.',
    );
  // A declared category named like the placeholder would merge with it: the declaration is refused instead.
  if (levels.includes(PLACEHOLDER_LEVEL))
    throw inputError(
      `the public categories of '${column.name}' include '${PLACEHOLDER_LEVEL}', the level gesalp gives categories it may not know`,
      'Rename that category in the data and the metadata file.',
    );
  return {
    kind: 'categorical',
    name: column.name,
    levels: withPlaceholder(levels),
    placeholder: PLACEHOLDER_LEVEL,
    missing: declared.missing ?? true,
  };
}

function estimateCategories(
  name: string,
  column: CategoricalColumn,
  epsilon: number,
  delta: number,
): CategoricalStatistics {
  const counts = new Array<number>(column.levels.length).fill(0);
  for (const code of column.codes) if (code >= 0) counts[code]++;
  // Every level of the input gets a noisy count (a level no training row holds counts 0), and the
  // released list is sorted: neither its order nor its members may depend on one row.
  const released = stableCounts(
    column.levels.map((level, code) => [level, counts[code]] as const),
    epsilon,
    delta,
  );
  return releasedCategories(name, released);
}

/**
 * The statistics of the levels a mechanism released with their noisy counts: the placeholder left
 * out, the list sorted (neither its order nor its members may depend on one row), the placeholder last.
 */
function releasedCategories(name: string, released: readonly (readonly [string, number])[]): CategoricalStatistics {
  const kept = released
    .filter(([level]) => level !== PLACEHOLDER_LEVEL)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    kind: 'categorical',
    name,
    levels: withPlaceholder(kept.map(([level]) => level)),
    placeholder: PLACEHOLDER_LEVEL,
    missing: true,
    counts: [...kept.map(([, n]) => n), 0],
  };
}

/**
 * The categories a thresholded discrete Gaussian histogram releases, at the rho of a Laplace
 * release at `epsilon` (epsilon^2 / 2): every level of the input gets its count plus
 * N_Z(0, sigma^2) with sigma = 1 / epsilon (L2 sensitivity 1: one row moves one count by one), and
 * a level is released when its noisy count exceeds the smallest whole m with P(Z >= m) <= delta
 * (discreteGaussianThreshold), so a level held by one row (or none) is released with probability
 * at most delta: delta-approximate rho-zCDP, the same argument as AIM's heavy values.
 */
export function gaussianCategories(
  name: string,
  column: CategoricalColumn,
  epsilon: number,
  delta: number,
): CategoricalStatistics {
  const sigma = 1 / epsilon;
  const threshold = discreteGaussianThreshold(sigma, delta);
  const counts = new Array<number>(column.levels.length).fill(0);
  for (const code of column.codes) if (code >= 0) counts[code]++;
  const noisy = addDiscreteGaussian(counts, sigma);
  return releasedCategories(
    name,
    column.levels.flatMap((level, code): [string, number][] => (noisy[code] > threshold ? [[level, noisy[code]]] : [])),
  );
}

const round = (x: number): number => Number(x.toPrecision(3));
