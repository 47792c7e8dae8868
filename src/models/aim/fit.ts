/**
 * AIM's fit from start to end: the columns' bins (public or DP-released statistics, then the
 * heavy values and fine histograms at their shares of rho), the workload, and then under DP the
 * select-measure-estimate rounds at the rest of rho, or without DP the exact rounds. Returns the
 * coders, the model, and the summary whose zCDP account lists every charge.
 */
import { recodeToStatistics } from '../../core/column-statistics.js';
import { isCategorical, type NumericColumn, type Table } from '../../core/table.js';
import { zcdpEpsilon } from '../../privacy/zcdp.js';
import type { FitOptions, FitSummary, ZcdpSummary } from '../synthesizer.js';
import { runAim, type AimContext, type AimRun } from './aim-rounds.js';
import { planBudget, startingSigma, type AimBudget } from './budget.js';
import { binCount, type ColumnCoder } from './discretise/coder.js';
import { binnedColumns, columnSpecs, releaseCoders, type ColumnRelease, type Spec } from './discretise/discretise.js';
import { encodeTable } from './discretise/encode.js';
import { countValues, type NumericCounts, type NumericSpec } from './discretise/numeric-coder.js';
import { codeCounts, type MarginalCounts } from './marginal-counts.js';
import { runExact } from './exact-rounds.js';
import { GraphicalModel } from './graphical-model.js';
import { exactMechanisms, secureMechanisms, type Mechanisms } from './mechanisms.js';
import type { AimParams } from './space.js';
import { workload } from './workload.js';

export const CONVERSION = 'Canonne, Kamath and Steinke 2020';

export interface Fitted {
  readonly coders: ColumnCoder[];
  readonly model: GraphicalModel;
  readonly training: FitSummary;
}

/** What a caller may put in place of the defaults: tests replay mechanisms, a benchmark runs MST's selection. */
export interface FitOverrides {
  readonly mechanisms?: Mechanisms;
  readonly rounds?: (ctx: AimContext) => AimRun | Promise<AimRun>;
}

export async function fitAim(
  table: Table,
  params: AimParams,
  options: FitOptions,
  overrides: FitOverrides = {},
): Promise<Fitted> {
  if (table.rowCount === 0) throw new Error('cannot fit on an empty table');
  const stats = options.statistics;
  if (options.privacy && !stats) throw new Error('AIM under DP needs every column statistics, public or DP-released');
  const rows = stats ? recodeToStatistics(table, stats) : table;
  const specs = columnSpecs(rows, stats, params.bins);
  specs.forEach((spec, j) => {
    if (spec.kind === 'numeric' && isCategorical(rows.columns[j]))
      throw new Error(`column ${rows.columns[j].name} is categorical in the table`);
  });
  const input: AimInput = {
    names: rows.columns.map((c) => c.name),
    specs,
    numericCounts: (j) => countValues(specs[j] as NumericSpec, (rows.columns[j] as NumericColumn).values),
    marginals: async (coders, sizes) => codeCounts(sizes, encodeTable(rows, coders)),
  };
  return fitInput(input, params, options, overrides);
}

/**
 * What a fit reads of its input, wherever the rows are: each column's spec (from the statistics,
 * or read without DP), each binned numeric column's counts, and the exact marginal counts over the
 * released bins. Rows in memory give them from the table (fitAim); a statistics source from
 * queries (source-fit.ts).
 */
export interface AimInput {
  readonly names: readonly string[];
  readonly specs: readonly Spec[];
  numericCounts(column: number): NumericCounts;
  /** Counts over the coders' bins, for every candidate clique (inside one of the workload's marginals). */
  marginals(
    coders: readonly ColumnCoder[],
    sizes: readonly number[],
    workloadMarginals: readonly number[][],
  ): Promise<MarginalCounts>;
}

export async function fitInput(
  input: AimInput,
  params: AimParams,
  options: FitOptions,
  overrides: FitOverrides = {},
): Promise<Fitted> {
  const started = performance.now();
  const stats = options.statistics;
  const privacy = options.privacy;
  if (privacy && !stats) throw new Error('AIM under DP needs every column statistics, public or DP-released');
  const budget = privacy
    ? planBudget(privacy.epsilon, privacy.delta, binnedColumns(input.specs), privacy.zcdpPrior)
    : undefined;
  const mechanisms = privacy ? (overrides.mechanisms ?? secureMechanisms) : exactMechanisms;
  const plannedRounds = params.rounds_per_column * input.names.length;
  const { coders, releases } = releaseCoders(input.names, input.specs, (j) => input.numericCounts(j), {
    bins: params.bins,
    mechanisms,
    statistics: stats,
    budget,
    roundSigma: budget ? startingSigma(budget.roundsRho, plannedRounds) : 0,
  });
  const sizes = coders.map(binCount);
  const { candidates, marginals } = workload(sizes, params.degree);
  const counts = await input.marginals(coders, sizes, marginals);
  const names = (clique: readonly number[]) => clique.map((a) => coders[a].name);
  const progress = (round: number, loss: number) =>
    options.onProgress?.({
      epoch: round,
      epochs: plannedRounds,
      step: round,
      steps: plannedRounds,
      loss,
      seconds: (performance.now() - started) / 1000,
    });
  if (!budget) {
    const run = await runExact({
      sizes,
      counts,
      candidates,
      rounds: plannedRounds,
      maxModelMb: params.max_model_mb,
      signal: options.signal,
      onRound: (round) => progress(round, 0),
    });
    return {
      coders,
      model: run.model,
      training: summary(started, run.selected.length, 0, options, undefined),
    };
  }
  const run = await (overrides.rounds ?? runAim)({
    sizes,
    counts,
    candidates,
    rho: budget.roundsRho,
    settings: {
      rounds: plannedRounds,
      maxModelMb: params.max_model_mb,
      iterations: params.iterations,
      finalIterations: params.final_iterations,
    },
    mechanisms,
    signal: options.signal,
    onRound: (record, estimate) => progress(record.round, estimate.loss),
  });
  const model = new GraphicalModel(sizes, run.estimate.potentials, run.estimate.total);
  const zcdp = account(budget, releases, run, names);
  const training = summary(started, run.rounds.length, run.iterations, options, {
    targetEpsilon: privacy!.epsilon,
    // With a zCDP prior, the attempt's spent epsilon less the prior's share.
    spentEpsilon: zcdpEpsilon(zcdp.spentRho, budget.delta - budget.thresholdDelta) - budget.prior.epsilon,
    delta: budget.delta,
    zcdp,
  });
  return { coders, model, training };
}

function account(
  budget: AimBudget,
  releases: readonly ColumnRelease[],
  run: AimRun,
  names: (clique: readonly number[]) => string[],
): ZcdpSummary {
  // With preprocessing charged in zCDP, the account is the attempt's: preprocessing is its first stage.
  const prior =
    budget.prior.rho > 0
      ? [
          {
            stage: 'DP preprocessing (before training)',
            rho: budget.prior.rho,
            detail: `the releases the report's preprocessing section lists but the noisy row count (charged in epsilon beside this account), each at epsilon e (Laplace of scale 1/e, or a level list's discrete Gaussian of sigma 1/e) charged e^2/2; stated as epsilon ${Number(budget.prior.epsilon.toPrecision(4))} of the account`,
          },
        ]
      : [];
  const stages = [
    ...prior,
    ...releases.filter((r) => r.rho > 0).map((r) => ({ stage: `bins of ${r.column}`, rho: r.rho, detail: r.how })),
    {
      stage: 'one-way marginals',
      rho: run.oneWay.rho,
      detail: `every column's bins, Gaussian noise sigma ${Number(run.oneWay.sigma.toPrecision(4))}`,
    },
  ];
  const spentRho = stages.reduce((s, x) => s + x.rho, 0) + run.rho - run.oneWay.rho;
  const rho = budget.rho + budget.prior.rho;
  if (spentRho > rho * (1 + 1e-9)) throw new Error(`AIM spent rho ${spentRho}, above its budget ${rho}`);
  return {
    rho,
    spentRho,
    thresholdDelta: budget.thresholdDelta,
    conversion: CONVERSION,
    stages,
    rounds: run.rounds.map((r) => ({
      round: r.round,
      marginal: names(r.marginal),
      selectionRho: r.selection_rho,
      measurementRho: r.measurement_rho,
      sigma: r.sigma,
    })),
  };
}

function summary(
  started: number,
  rounds: number,
  iterations: number,
  options: FitOptions,
  privacy: FitSummary['privacy'],
): FitSummary {
  const seconds = (performance.now() - started) / 1000;
  return {
    epochsDone: rounds,
    epochs: rounds,
    stepsDone: iterations,
    seconds,
    stepsPerSecond: seconds > 0 ? iterations / seconds : 0,
    samplesPerSecond: 0,
    stopped: Boolean(options.signal?.aborted),
    earlyStopped: false,
    epochLoss: [],
    threads: 1,
    ...(privacy ? { privacy } : {}),
  };
}
