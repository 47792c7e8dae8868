/**
 * One attempt of generate: train (or reuse a loaded model) with early stopping, sample, evaluate.
 * The retry loop and the grid run this once per parameter set and keep the best.
 */
import type { BackendName } from '../core/backend.js';
import { alignLevels } from '../core/align-levels.js';
import type { Thresholds } from '../core/config.js';
import { evaluateTables, type Evaluation } from '../core/metrics/evaluate.js';
import type { Table } from '../core/table.js';
import type { EarlyStopRecord } from '../models/generation-report.js';
import { paramValues, type ResolvedParam } from '../models/resolve-params.js';
import type { FitSummary } from '../models/synthesizer.js';
import { TabDdpm } from '../models/tabddpm/model.js';
import { EdgePileUp } from '../models/tabddpm/spread-check.js';
import type { TabDdpmParams } from '../models/tabddpm/space.js';
import { CHECKPOINT_ROWS, EarlyStop, checkpointEvery, checkpointPolicy } from '../optimizer/early-stop.js';
import type { MetricValues } from '../optimizer/failures.js';
import type { AttemptScore } from '../optimizer/rank-attempts.js';
import type { Change } from '../optimizer/rule.js';
import type { GenerateProgress } from './generate-progress.js';

export interface AttemptContext {
  readonly train: Table;
  readonly holdout: Table | undefined;
  /** The whole input, whose category levels the synthetic rows take. */
  readonly table: Table;
  readonly rows: number;
  readonly thresholds: Thresholds;
  readonly backend: BackendName;
  readonly seed: number;
  readonly threads: number;
  readonly earlyStop: boolean;
  readonly progress: GenerateProgress;
  readonly stopTraining: AbortSignal;
  readonly stopAll: AbortSignal;
}

export interface AttemptOutcome extends AttemptScore {
  readonly attempt: number;
  readonly params: ResolvedParam[];
  /** The optimizer's changes that led to this attempt (none for the first). */
  readonly changes: Change[];
  readonly model: TabDdpm;
  readonly training: FitSummary | null;
  readonly synthetic: Table | null;
  readonly evaluation: Evaluation | null;
  /** Set when the sampled values piled up at the range edges: nothing to write from this attempt. */
  readonly edgeError: EdgePileUp | null;
  readonly earlyStop: EarlyStopRecord | null;
  readonly seconds: { train: number; sample: number; evaluate: number };
}

export async function runAttempt(
  ctx: AttemptContext,
  attempt: number,
  params: ResolvedParam[],
  changes: Change[],
  loaded?: TabDdpm,
): Promise<AttemptOutcome> {
  const model = loaded ?? new TabDdpm(paramValues(params) as TabDdpmParams);
  const seconds = { train: 0, sample: 0, evaluate: 0 };
  let training = model.training;
  let earlyStop: EarlyStopRecord | null = null;
  if (!loaded) {
    const started = performance.now();
    const values = paramValues(params);
    const stepsPerEpoch = Math.ceil(ctx.train.rowCount / Math.min(values.batch_size, ctx.train.rowCount));
    const every = checkpointEvery(values.n_iter, stepsPerEpoch);
    const sampleRows = Math.min(CHECKPOINT_ROWS, ctx.train.rowCount);
    const early = new EarlyStop(ctx.thresholds);
    training = await model.fit(ctx.train, {
      seed: ctx.seed,
      threads: ctx.threads,
      backend: ctx.backend,
      signal: ctx.stopTraining,
      onEstimate: (s) => ctx.progress.estimate(s),
      onProgress: (p) => ctx.progress.training(p),
      ...(ctx.earlyStop
        ? { checkpoints: checkpointPolicy(early, every, sampleRows, (synthetic) => evaluateSample(ctx, synthetic)) }
        : {}),
    });
    if (ctx.earlyStop)
      earlyStop = {
        every_epochs: every,
        sample_rows: sampleRows,
        stopped_at_epoch: early.stoppedAt,
        checkpoints: early.history,
      };
    seconds.train = (performance.now() - started) / 1000;
    ctx.progress.clear();
  }
  const base = { attempt, params, changes, model, training, earlyStop, seconds };
  const sampleStart = performance.now();
  let synthetic: Table;
  try {
    const sampled = await model.sample(ctx.rows, {
      seed: ctx.seed,
      signal: ctx.stopAll,
      onProgress: (done, total) => ctx.progress.sampling(done, total, (performance.now() - sampleStart) / 1000),
    });
    synthetic = alignLevels(sampled, ctx.table);
  } catch (error) {
    if (!(error instanceof EdgePileUp)) throw error;
    return {
      ...base,
      synthetic: null,
      evaluation: null,
      edgeError: error,
      allGreen: false,
      failing: Infinity,
      excess: Infinity,
    };
  } finally {
    seconds.sample = (performance.now() - sampleStart) / 1000;
    ctx.progress.clear();
  }
  const evaluateStart = performance.now();
  const evaluation = await evaluateAgainstInput(ctx, synthetic);
  seconds.evaluate = (performance.now() - evaluateStart) / 1000;
  const failed = evaluation.verdict.violations.filter((v) => v.status === 'fail');
  return {
    ...base,
    synthetic,
    evaluation,
    edgeError: null,
    allGreen: evaluation.verdict.allGreen,
    failing: evaluation.verdict.violations.length,
    excess: failed.reduce((sum, v) => sum + v.excess, 0),
  };
}

/** The SPEC's metrics of synthetic rows against the training rows and the holdout. */
const evaluateAgainstInput = (ctx: AttemptContext, synthetic: Table): Promise<Evaluation> =>
  evaluateTables(ctx.train, synthetic, ctx.holdout, {
    thresholds: ctx.thresholds,
    backend: ctx.backend,
    seed: ctx.seed,
  });

const evaluateSample = async (ctx: AttemptContext, sample: Table): Promise<MetricValues> =>
  metricValues(await evaluateAgainstInput(ctx, alignLevels(sample, ctx.table)));

export const metricValues = (evaluation: Evaluation): MetricValues =>
  Object.fromEntries(Object.entries(evaluation.metrics).map(([id, r]) => [id, r.value ?? null]));
