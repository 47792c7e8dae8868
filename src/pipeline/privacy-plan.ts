/**
 * A DP run's budget (SPEC sections 6 and 8): the preprocessing share is spent once, on the training
 * rows, and what it releases (the row count, the columns' kinds, rounding, bounds, quantiles and
 * categories) serves every attempt (post-processing); each attempt's training then spends its
 * epsilon minus that share, and the total is their sum (sequential composition). Delta is the
 * total for the run: preprocessing takes its share when it releases category lists, and each
 * planned attempt's training an equal part of the rest. The unit of privacy is one row of the
 * input, added or removed.
 *
 * A method accounted in zCDP (AIM) with one attempt charges preprocessing in rho instead, all but
 * the noisy row count: delta is set from the count's output, so the count is charged in epsilon
 * beside a zCDP account of the attempt's epsilon less the count's. Preprocessing's share of the
 * account is the preprocessing fraction of its rho, each release at epsilon e costs e^2 / 2
 * (Laplace of scale 1/e: pure DP implies zCDP; a level list: a discrete Gaussian of sigma 1/e), and
 * the training spends the account's rho less what preprocessing spent (zcdpPrior), so that the
 * account converts to its epsilon at once. Linear composition of some 30 small releases charged the
 * same share several times over in rho, which left each release too little epsilon to find a
 * column's bounds or its categories. preprocessing.epsilon then states the count's epsilon plus the
 * share of the account in epsilon: the account's epsilon less what the training's rho alone converts to.
 */
import type { ColumnStatistics } from '../core/column-statistics.js';
import { GesalpError, usageError } from '../core/errors.js';
import { CELL_SEPARATOR, rowContentOf } from '../core/row-digest.js';
import type { TableMetadata } from '../core/schema/metadata.js';
import type { ColumnSpec } from '../core/schema/schema.js';
import type { ColumnKind, Table } from '../core/table.js';
import type { TrainingPrivacy } from '../models/synthesizer.js';
import {
  PLACEHOLDER_LEVEL as PLACEHOLDER,
  planPreprocessing,
  releaseColumns,
  releaseRowCount,
  type EstimatedColumn,
  type PreprocessingRecord,
} from '../privacy/preprocessing/preprocess.js';
import { laplace } from '../privacy/mechanisms.js';
import { zcdpEpsilon, zcdpRho } from '../privacy/zcdp.js';

export interface PrivacyRequest {
  /** The most one attempt may spend (preprocessing + training): attempts start here and the optimizer never goes above it. */
  readonly epsilon: number;
  /** The most every attempt together may spend. */
  readonly totalEpsilon: number;
  /** The run's total delta; absent: 1/(10 n) of the released count n of training rows. */
  readonly delta?: number;
  readonly maxGradNorm: number;
  /** Share of the first attempt's epsilon spent on preprocessing (when something is not declared). */
  readonly preprocessingFraction: number;
  /** Public rows that judge checkpoints and attempts (without them, checkpoints are off and one attempt runs). */
  readonly validation?: { readonly table: Table; readonly path: string };
}

export interface PrivacyBudget {
  readonly request: PrivacyRequest;
  /** The training rows as released (a noisy count, or the declared count's training share): calibration reads this, never the exact count. */
  readonly trainRows: number;
  /** How trainRows was obtained, for the report. */
  readonly trainRowsHow: string;
  /** The input's rows as released (trainRows before the holdout's share): the default count of rows to sample. */
  readonly releasedRows: number;
  /** The run's delta, resolved against the released count. */
  readonly delta: number;
  /** The schema as declared or released: the kinds every table of the run is recast to. */
  readonly schema: ColumnSpec[];
  readonly statistics: ColumnStatistics[];
  readonly preprocessing: PreprocessingRecord & { readonly fraction: number };
  /** Each attempt's training delta. */
  readonly trainingDelta: number;
  /** Columns whose released kind may be noise: too few rows for their share of epsilon. */
  readonly weakKinds: string[];
  /** Preprocessing charged in zCDP (a zCDP method's one attempt): what the training must leave for it. */
  readonly zcdpPrior?: ZcdpPrior;
}

/**
 * What preprocessing spent of a zCDP attempt's account (every release but the noisy row count,
 * which is charged in epsilon beside it): its rho, and its share of the account stated in epsilon.
 */
export interface ZcdpPrior {
  readonly rho: number;
  readonly epsilon: number;
}

export interface PlanShape {
  /** The first attempt's epsilon (a grid's smallest): preprocessing takes its share of it. */
  readonly firstEpsilon: number;
  readonly attempts: number;
  /** Turns the input's declared row count into a training count. */
  readonly holdoutFraction: number;
  /** Whether the method reads numeric quantiles (bounds declared without them then release them). */
  readonly readsQuantiles: boolean;
  /** Whether the method accounts in zCDP (then one attempt's preprocessing is charged in rho). */
  readonly zcdp?: boolean;
}

/**
 * Preprocessing, once, on the training rows; with public validation rows, their overlap with the
 * whole input is checked as one more release.
 */
export async function planPrivacy(
  tables: { readonly train: Table; readonly table: Table },
  metadata: TableMetadata | undefined,
  request: PrivacyRequest,
  shape: PlanShape,
): Promise<PrivacyBudget> {
  const { train } = tables;
  const names = train.columns.map((c) => c.name);
  const publicRows = metadata?.rows;
  const plan = planPreprocessing(names, metadata?.columns ?? new Map(), publicRows !== undefined, shape.readsQuantiles);
  const shares = plan.shares + (request.validation ? 1 : 0);
  const fraction = shares ? request.preprocessingFraction : 0;
  const epsilon = shape.firstEpsilon * fraction;
  const share = shares ? epsilon / shares : 0;
  // A zCDP attempt's row count, released before delta is known, takes at most an equal part of
  // preprocessing's rho at a delta guessed without the rows, and at most `share`, so that the linear
  // split, should it be kept below, still holds.
  const columnReleases = plan.shares - (publicRows === undefined ? 1 : 0);
  const zcdpCandidate = shape.zcdp === true && shape.attempts === 1 && columnReleases > 0;
  const first = zcdpCandidate
    ? Math.min(share, Math.sqrt((2 * fraction * zcdpRho(shape.firstEpsilon, request.delta ?? DELTA_GUESS)) / shares))
    : share;
  const trainRows =
    publicRows !== undefined
      ? Math.max(2, Math.round(publicRows * (1 - shape.holdoutFraction)))
      : releaseRowCount(train.rowCount, first);
  const delta = rowsDelta(trainRows, publicRows !== undefined ? null : first, request.delta);
  // The overlap check keeps its linear share (in zCDP charged share^2/2): its power is set by the
  // public rows' count, and a smaller epsilon would refuse validation files it accepts.
  const overlap = request.validation ? checkOverlap(tables.table, request.validation, share) : [];
  const preprocessingDelta = plan.categoryReleases ? delta * request.preprocessingFraction : 0;
  const trainingDelta = (delta - preprocessingDelta) / shape.attempts;
  // The noisy row count is charged in epsilon, outside the zCDP account: delta, and so the rho the
  // rest of the attempt converts from, depend on its output, and zCDP composes rho fixed in advance.
  // The account holds the rest (epsilon less the count's, fixed before the count is drawn): the
  // column releases share what the overlap check left of preprocessing's rho; were nothing left (a
  // delta far below the guess), the linear split is kept (the first releases spent at most `share` each).
  const countEpsilon = publicRows === undefined ? first : 0;
  const zcdpAttempt = shape.firstEpsilon - countEpsilon;
  const zcdpEpsilon = zcdpCandidate
    ? zcdpColumnEpsilon(
        fraction * zcdpRho(zcdpAttempt, trainingDelta),
        overlap.length * ((share * share) / 2),
        columnReleases,
      )
    : 0;
  const inZcdp = zcdpEpsilon > 0;
  const columnEpsilon = inZcdp ? zcdpEpsilon : share;
  const released = await releaseColumns(train, plan, {
    epsilon: columnEpsilon,
    delta: plan.categoryReleases ? preprocessingDelta / plan.categoryReleases : 0,
    zcdp: inZcdp,
  });
  const count: EstimatedColumn[] =
    publicRows === undefined
      ? [{ column: '(rows)', how: 'noisy count of the training rows', epsilon: first, delta: null }]
      : [];
  const estimated = [...count, ...overlap, ...released.estimated];
  const zcdpPrior = inZcdp ? priorOf([...overlap, ...released.estimated], zcdpAttempt, trainingDelta) : undefined;
  return {
    request,
    trainRows,
    trainRowsHow:
      publicRows === undefined
        ? `a noisy count (Laplace, epsilon ${round(first)})`
        : `the declared row count ${publicRows} less the holdout fraction`,
    releasedRows: publicRows ?? Math.max(1, Math.round(trainRows / (1 - shape.holdoutFraction))),
    delta,
    schema: names.map((name, i) => ({
      name,
      kind: released.kinds[i],
      reason: released.reasons[i],
      ...(released.statistics[i].kind === 'numeric' && released.statistics[i].step === 1 ? { integer: true } : {}),
    })),
    statistics: released.statistics,
    preprocessing: {
      epsilon: zcdpPrior ? countEpsilon + zcdpPrior.epsilon : epsilon,
      delta: preprocessingDelta,
      estimated,
      public: plan.columns.filter((c) => c.need === 'nothing').map((c) => c.name),
      placeholder: PLACEHOLDER,
      fraction,
    },
    trainingDelta,
    weakKinds: released.weak,
    ...(zcdpPrior ? { zcdpPrior } : {}),
  };
}

/**
 * The epsilon of each of `releases` equal column releases so that, with `spent` rho already spent
 * (the row count, the overlap check), preprocessing spends `rho` in all: releases * e^2 / 2 = rho - spent
 * (0 when nothing is left).
 */
export function zcdpColumnEpsilon(rho: number, spent: number, releases: number): number {
  const left = rho - spent;
  return left > 0 ? Math.sqrt((2 * left) / releases) : 0;
}

/**
 * What preprocessing spent in zCDP: each release at epsilon e is Laplace of scale 1/e (pure e-DP,
 * so (e^2 / 2)-zCDP) or a level list's discrete Gaussian of sigma 1/e (e^2 / 2 again, with its
 * threshold's delta in the preprocessing delta), and the releases' rho add. Its share in epsilon
 * is the zCDP account's epsilon (`attemptEpsilon`: the attempt's less the row count's) less what the
 * rest of the account's rho converts to at the training's delta.
 */
export function priorOf(
  estimated: readonly EstimatedColumn[],
  attemptEpsilon: number,
  trainingDelta: number,
): ZcdpPrior {
  const rho = estimated.reduce((sum, e) => sum + (e.epsilon * e.epsilon) / 2, 0);
  const left = zcdpRho(attemptEpsilon, trainingDelta) - rho;
  if (!(left > 0)) throw new Error(`preprocessing spent rho ${rho}, the whole attempt's`);
  return { rho, epsilon: attemptEpsilon - zcdpEpsilon(left, trainingDelta) };
}

/**
 * The run's delta, set against n, the training rows (declared, or a noisy count released at
 * `countEpsilon`): 1/(10 n) by default, and refused unless below 1/n. A noisy count may fall far
 * below the true one (at a tiny share it is floored at 2, which made the default delta 0.05 on 275
 * rows): n is an upper bound that the true count exceeds with probability below COUNT_TAIL
 * (post-processing of the released count). Shared by the in-memory and the out-of-core paths.
 */
export function rowsDelta(trainRows: number, countEpsilon: number | null, requested: number | undefined): number {
  const bound =
    countEpsilon === null ? trainRows : trainRows + Math.ceil(Math.log(1 / (2 * COUNT_TAIL)) / countEpsilon);
  const delta = requested ?? 1 / (10 * bound);
  if (!(delta < 1 / bound))
    throw usageError(
      `delta ${requested} is not below 1/n = ${Number((1 / bound).toPrecision(3))} for the ${bound} training rows the ${countEpsilon === null ? 'declared' : 'released'} count allows: a delta that large allows releasing a row outright`,
      `Give a delta of ${Number((1 / (10 * bound)).toPrecision(3))} (1/(10 n), the default) or smaller.`,
    );
  return delta;
}

/** The delta a zCDP attempt's first releases are planned at when none is given (rows up to 1e8 at 1/(10 n)). */
const DELTA_GUESS = 1e-9;

/** Chance that the true training count exceeds the bound that delta is set against. */
const COUNT_TAIL = 1e-9;

/** Above this share of their distinct rows found in the input (a noisy count), public validation rows are refused. */
export const VALIDATION_OVERLAP_LIMIT = 0.25;
/**
 * The check needs power: with at least this many noise scales in the validation's distinct rows, a
 * file that is the input is refused, and one that shares nothing accepted, but with probability
 * about e^-5 (the noise would have to cross a quarter of them).
 */
export const VALIDATION_MIN_SCALES = 20;

/** A row as the overlap check compares it: the split's canonical cells, trimmed and in lower case. */
function looseContentOf(table: Table): (row: number) => string {
  const content = rowContentOf(table);
  return (row) =>
    content(row)
      .split(CELL_SEPARATOR)
      .map((cell) => cell.trim().toLowerCase())
      .join(CELL_SEPARATOR);
}

/**
 * Public validation rows that are the input's own rows would let private rows choose the attempt.
 * The check is a noisy count of the validation's distinct rows that the input holds (one input row
 * more moves it by at most one), so whether it refuses does not tell whether a given row is in the
 * input (SPEC section 8). Rows compare by their canonical cells (numbers as numbers), trimmed and
 * in lower case, so a re-spaced or re-cased copy is a copy.
 */
function checkOverlap(
  input: Table,
  validation: NonNullable<PrivacyRequest['validation']>,
  epsilon: number,
): EstimatedColumn[] {
  const validationRow = looseContentOf(validation.table);
  const distinct = new Set(Array.from({ length: validation.table.rowCount }, (_, row) => validationRow(row)));
  const needed = Math.ceil(VALIDATION_MIN_SCALES / epsilon);
  if (distinct.size < needed)
    throw usageError(
      `the public validation rows in ${validation.path} are too few to check that they are not the input's at this budget: ${distinct.size} distinct rows, where the noisy overlap count needs at least ${needed}`,
      'Give more public rows, or a larger preprocessing share of epsilon, or run one attempt without them.',
    );
  // The input's rows one at a time (no string per input row held): the distinct validation rows among them.
  const inputRow = looseContentOf(input);
  const found = new Set<string>();
  for (let row = 0; row < input.rowCount; row++) {
    const content = inputRow(row);
    if (distinct.has(content)) found.add(content);
  }
  const shared = found.size;
  const noisy = shared + laplace(1 / epsilon);
  if (noisy > VALIDATION_OVERLAP_LIMIT * distinct.size)
    throw usageError(
      `the public validation rows in ${validation.path} overlap the input: a noisy count finds about ${Math.max(0, Math.round(noisy))} of its ${distinct.size} distinct rows among the input's rows`,
      "Give public rows that are not drawn from this input (a public sample of the same population, or last year's release), or run one attempt without them.",
    );
  return [
    {
      column: '(validation overlap)',
      how: `noisy count of the public validation rows found in the input: below ${VALIDATION_OVERLAP_LIMIT * 100} % of them`,
      epsilon,
      delta: null,
    },
  ];
}

/** The kinds of the released schema, to recast the run's tables with. */
export const releasedKinds = (budget: PrivacyBudget): ColumnKind[] => budget.schema.map((c) => c.kind);

/** What one attempt at `epsilon` asks of training: its epsilon after the preprocessing share. */
export function trainingPrivacy(budget: PrivacyBudget, epsilon: number): TrainingPrivacy {
  return {
    epsilon: epsilon - budget.preprocessing.epsilon,
    delta: budget.trainingDelta,
    maxGradNorm: budget.request.maxGradNorm,
    rows: budget.trainRows,
    ...(budget.zcdpPrior ? { zcdpPrior: budget.zcdpPrior } : {}),
  };
}

/** Why an attempt at `epsilon` cannot run after `spent` so far, or null when it fits the budget. */
export function attemptRefusal(budget: PrivacyBudget, spent: number, epsilon: number): string | null {
  const pre = budget.preprocessing.epsilon;
  if (!(epsilon > pre)) return `epsilon ${epsilon} leaves nothing for training after preprocessing's ${round(pre)}`;
  const after = spent + epsilon - pre;
  // A hair of floating-point slack: 0.1 + 0.2 must not refuse a total of 0.3.
  if (after > budget.request.totalEpsilon * (1 + 1e-12))
    return `an attempt at epsilon ${epsilon} would take the total to ${round(after)}, past the stated ${budget.request.totalEpsilon}`;
  return null;
}

/** A grid whose points together spend more than the stated total is refused before anything trains. */
export function checkGridBudget(budget: PrivacyBudget, epsilons: readonly number[]): void {
  const pre = budget.preprocessing.epsilon;
  const total = pre + epsilons.reduce((sum, e) => sum + e - pre, 0);
  if (total > budget.request.totalEpsilon * (1 + 1e-12))
    throw new GesalpError(
      'budget',
      `the grid's ${epsilons.length} DP attempts spend epsilon ${round(total)} in all, past the stated total ${budget.request.totalEpsilon}`,
      'Grid over fewer or smaller epsilons, or state a larger total.',
    );
  const low = epsilons.find((e) => !(e > pre));
  if (low !== undefined)
    throw new GesalpError(
      'budget',
      `grid epsilon ${low} leaves nothing for training after preprocessing's ${round(pre)}`,
      'Grid over larger epsilons, or declare the columns public so preprocessing spends nothing.',
    );
}

const round = (x: number): number => Number(x.toPrecision(6));
