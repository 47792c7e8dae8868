/**
 * AIM's fit from start to end: the columns' bins (public or DP-released statistics, then the
 * heavy values and fine histograms at their shares of rho), the workload, and then under DP the
 * select-measure-estimate rounds at the rest of rho, or without DP the exact rounds. Returns the
 * coders, the model, and the summary whose zCDP account lists every charge.
 */
import { recodeToStatistics } from '../../core/column-statistics.js';
import type { Table } from '../../core/table.js';
import { zcdpEpsilon } from '../../privacy/zcdp.js';
import type { FitOptions, FitSummary, ZcdpSummary } from '../synthesizer.js';
import { runAim, type AimContext, type AimRun } from './aim-rounds.js';
import { planBudget, startingSigma, type AimBudget } from './budget.js';
import type { ColumnCoder } from './discretise/coder.js';
import { binnedColumns, columnSpecs, discretise, type Discretised } from './discretise/discretise.js';
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
  const started = performance.now();
  const stats = options.statistics;
  const privacy = options.privacy;
  if (privacy && !stats) throw new Error('AIM under DP needs every column statistics, public or DP-released');
  const rows = stats ? recodeToStatistics(table, stats) : table;
  const budget = privacy
    ? planBudget(privacy.epsilon, privacy.delta, binnedColumns(columnSpecs(rows, stats, params.bins)))
    : undefined;
  const mechanisms = privacy ? (overrides.mechanisms ?? secureMechanisms) : exactMechanisms;
  const plannedRounds = params.rounds_per_column * table.columns.length;
  const binned = discretise(rows, {
    bins: params.bins,
    mechanisms,
    statistics: stats,
    budget,
    roundSigma: budget ? startingSigma(budget.roundsRho, plannedRounds) : 0,
  });
  const { candidates } = workload(binned.sizes, params.degree);
  const names = (clique: readonly number[]) => clique.map((a) => binned.coders[a].name);
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
      sizes: binned.sizes,
      codes: binned.codes,
      candidates,
      rounds: plannedRounds,
      maxModelMb: params.max_model_mb,
      signal: options.signal,
      onRound: (round) => progress(round, 0),
    });
    return {
      coders: binned.coders,
      model: run.model,
      training: summary(started, run.selected.length, 0, options, undefined),
    };
  }
  const run = await (overrides.rounds ?? runAim)({
    sizes: binned.sizes,
    codes: binned.codes,
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
  const model = new GraphicalModel(binned.sizes, run.estimate.potentials, run.estimate.total);
  const zcdp = account(budget, binned, run, names);
  const training = summary(started, run.rounds.length, run.iterations, options, {
    targetEpsilon: privacy!.epsilon,
    spentEpsilon: zcdpEpsilon(zcdp.spentRho, budget.delta - budget.thresholdDelta),
    delta: budget.delta,
    zcdp,
  });
  return { coders: binned.coders, model, training };
}

function account(
  budget: AimBudget,
  binned: Discretised,
  run: AimRun,
  names: (clique: readonly number[]) => string[],
): ZcdpSummary {
  const stages = [
    ...binned.releases
      .filter((r) => r.rho > 0)
      .map((r) => ({ stage: `bins of ${r.column}`, rho: r.rho, detail: r.how })),
    {
      stage: 'one-way marginals',
      rho: run.oneWay.rho,
      detail: `every column's bins, Gaussian noise sigma ${Number(run.oneWay.sigma.toPrecision(4))}`,
    },
  ];
  const spentRho = stages.reduce((s, x) => s + x.rho, 0) + run.rho - run.oneWay.rho;
  if (spentRho > budget.rho * (1 + 1e-9)) throw new Error(`AIM spent rho ${spentRho}, above its budget ${budget.rho}`);
  return {
    rho: budget.rho,
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
