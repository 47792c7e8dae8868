/**
 * DP preprocessing for generate (SPEC section 6): everything a model learns outside the clipped,
 * noised gradients is either declared public or released here with its own share of the budget.
 * The share is split evenly over the columns the public file does not cover (sequential
 * composition): numeric columns get two-stage DP bounds and quantiles, categorical columns the
 * categories whose noisy count clears the stability threshold. Column kinds (the schema), and
 * whether a numeric column holds whole numbers, are taken as public. All noise is the OS CSPRNG's.
 */
import type { CategoricalStatistics, ColumnStatistics, NumericStatistics } from '../../core/column-statistics.js';
import { inputError } from '../../core/errors.js';
import type { ColumnSpec, Schema } from '../../core/schema/schema.js';
import { isCategorical, type CategoricalColumn, type Table } from '../../core/table.js';
import { stableCounts } from '../noisy-histogram.js';
import { DP_QUANTILES, dpNumericEstimate } from './dp-quantiles.js';
import type { PublicBounds, PublicCategorical, PublicNumeric } from './public-bounds.js';

/** The level every category the model may not know becomes; it decodes as itself, visibly. */
export const PLACEHOLDER_LEVEL = '(other)';

export interface PreprocessingBudget {
  /** The preprocessing share of epsilon, spent only if some column is estimated. */
  readonly epsilon: number;
  /** The preprocessing share of delta, spent only if some categorical column is estimated. */
  readonly delta: number;
}

/** How one column's statistics were released, for the report. */
export interface EstimatedColumn {
  readonly column: string;
  readonly how: string;
  readonly epsilon: number;
  readonly delta: number | null;
}

export interface PreprocessingRecord {
  /** What preprocessing spent (0 when the public file covers every column). */
  readonly epsilon: number;
  readonly delta: number;
  readonly estimated: EstimatedColumn[];
  readonly public: string[];
  /** The level unreleased categories decode as. */
  readonly placeholder: string;
}

export interface Preprocessed {
  readonly statistics: ColumnStatistics[];
  readonly record: PreprocessingRecord;
}

/** The columns the public file leaves to be estimated: they decide whether preprocessing spends anything. */
export const estimatedColumns = (schema: Schema, bounds: PublicBounds): ColumnSpec[] =>
  schema.columns.filter((c) => !bounds.has(c.name));

export async function preprocess(
  train: Table,
  schema: Schema,
  bounds: PublicBounds,
  budget: PreprocessingBudget,
): Promise<Preprocessed> {
  const estimated = estimatedColumns(schema, bounds);
  const categoricalCount = estimated.filter((c) => c.kind === 'categorical').length;
  const epsilon = estimated.length ? budget.epsilon / estimated.length : 0;
  const delta = categoricalCount ? budget.delta / categoricalCount : 0;
  const statistics: ColumnStatistics[] = [];
  const record: EstimatedColumn[] = [];
  for (const [index, spec] of schema.columns.entries()) {
    const column = train.columns[index];
    const declared = bounds.get(spec.name);
    if (declared) {
      statistics.push(declared.kind === 'numeric' ? publicNumeric(spec, declared) : publicCategorical(spec, declared));
      continue;
    }
    if (isCategorical(column)) {
      const stats = estimateCategories(spec, column, epsilon, delta);
      statistics.push(stats);
      record.push({
        column: spec.name,
        how: `stability-based histogram: ${stats.levels.length - 1} categories released`,
        epsilon,
        delta,
      });
      continue;
    }
    const estimate = await dpNumericEstimate(column.values, epsilon);
    if (!estimate)
      throw inputError(
        `could not estimate the bounds of '${spec.name}' with epsilon ${epsilon.toPrecision(3)}: too few values for that epsilon`,
        `Declare its bounds public, e.g. {"columns": {"${spec.name}": {"min": 0, "max": 100}}}, or give preprocessing a larger share of epsilon.`,
      );
    statistics.push({ kind: 'numeric', name: spec.name, ...estimate, step: schemaStep(spec), missing: true });
    record.push({
      column: spec.name,
      how: `two-stage noisy histogram: bounds and ${DP_QUANTILES} quantiles`,
      epsilon,
      delta: null,
    });
  }
  return {
    statistics,
    record: {
      epsilon: epsilon * estimated.length,
      delta: delta * categoricalCount,
      estimated: record,
      public: schema.columns.filter((c) => bounds.has(c.name)).map((c) => c.name),
      placeholder: PLACEHOLDER_LEVEL,
    },
  };
}

/** Rounding from the (public) schema: whole numbers for integer columns, seconds for dates, none otherwise. */
const schemaStep = (spec: ColumnSpec): number => (spec.kind === 'datetime' || spec.integer ? 1 : 0);

function publicNumeric(spec: ColumnSpec, declared: PublicNumeric): NumericStatistics {
  const { min, max } = declared;
  const quantiles =
    declared.quantiles ?? Array.from({ length: DP_QUANTILES }, (_, j) => min + ((max - min) * j) / (DP_QUANTILES - 1));
  return {
    kind: 'numeric',
    name: spec.name,
    min,
    max,
    quantiles,
    step: declared.step ?? schemaStep(spec),
    missing: declared.missing ?? true,
  };
}

function withPlaceholder(levels: string[]): CategoricalStatistics['levels'] {
  return [...levels, PLACEHOLDER_LEVEL];
}

function publicCategorical(spec: ColumnSpec, declared: PublicCategorical): CategoricalStatistics {
  // A declared category named like the placeholder would merge with it: the file is refused instead.
  if (declared.categories.includes(PLACEHOLDER_LEVEL))
    throw inputError(
      `the public categories of '${spec.name}' include '${PLACEHOLDER_LEVEL}', the level gesalp gives categories it may not know`,
      `Rename that category in the data and the public bounds file.`,
    );
  return {
    kind: 'categorical',
    name: spec.name,
    levels: withPlaceholder(declared.categories),
    placeholder: PLACEHOLDER_LEVEL,
    missing: declared.missing ?? true,
  };
}

function estimateCategories(
  spec: ColumnSpec,
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
  )
    .filter(([level]) => level !== PLACEHOLDER_LEVEL)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    kind: 'categorical',
    name: spec.name,
    levels: withPlaceholder(released.map(([level]) => level)),
    placeholder: PLACEHOLDER_LEVEL,
    missing: true,
    counts: [...released.map(([, n]) => n), 0],
  };
}
