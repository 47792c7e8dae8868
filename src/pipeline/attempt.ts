/**
 * One attempt of generate: train (or reuse a loaded model) with early stopping, sample, evaluate.
 * The retry loop and the grid run this once per parameter set and keep the best.
 */
import type { BackendName } from '../core/backend-names.js';
import { alignLevels } from '../core/align-levels.js';
import { GesalpError } from '../core/errors.js';
import type { Thresholds } from '../metrics/thresholds.js';
import { NOTHING_EVALUATED, standing, upperBoundCheck, type Standing, type Verdict } from '../metrics/checks.js';
import { evaluateTables, type Evaluation } from '../metrics/evaluate.js';
import type { Table } from '../core/table.js';
import type { SampleCondition } from '../models/conditional-sampling.js';
import type { MethodId, Registry } from '../models/registry.js';
import { paramValues, type ResolvedParam } from '../models/resolve-params.js';
import type { CheckpointPolicy, FitProgress, FitSummary, SampleCheck, Synthesizer } from '../models/synthesizer.js';
import { CHECKPOINT_ROWS, EarlyStop, checkpointEvery, checkpointPolicy } from '../optimizer/early-stop.js';
import type { Change } from '../optimizer/rule.js';
import { trainingPrivacy, type PrivacyBudget } from './privacy-plan.js';
import type { InitFrom } from './init-from.js';
import type { EarlyStopRecord } from './report.js';
import type { BoundConstraint } from '../core/schema/constraint-rows.js';
import { sampleConstrained, type ConstraintsRecord } from './constrained-sampling.js';

/** What every attempt of one run shares. */
export interface AttemptContext {
  readonly train: Table;
  readonly holdout: Table | undefined;
  /** The learnt columns without rows: the names, kinds and category levels the synthetic rows take. */
  readonly template: Table;
  readonly rows: number;
  /** --condition: only rows with these values, `rows` of each. */
  readonly condition?: SampleCondition;
  /** The metadata file's constraints: every sampled row holds them (rows that break one are drawn again). */
  readonly constraints?: readonly BoundConstraint[];
  /** --condition: the training rows the final sample's fidelity metrics compare with (fidelity-rows.ts). */
  readonly fidelityRows?: Table;
  readonly thresholds: Thresholds;
  /** The column ML efficacy predicts, if any. */
  readonly target?: string;
  readonly backend: BackendName;
  readonly seed: number;
  /** Training threads; with chooseThreads, the most the attempt may use (a timed trial picks). */
  readonly threads: number;
  readonly chooseThreads?: boolean;
  readonly earlyStop: boolean;
  /** False: no metrics at all (a loaded model sampled with --no-eval). */
  readonly evaluate: boolean;
  /** Fine-tuning (--init-from): each attempt's fit starts from this saved model, whose architecture the rules leave alone. */
  readonly init?: InitFrom;
  /** DP-SGD: the run's budget and the preprocessed statistics every attempt's model fits on. */
  readonly privacy?: PrivacyBudget;
  /** A DP run, or sampling from a DP model: nothing private judges an attempt. */
  readonly privateOutput: boolean;
  /** Under DP: the public validation rows (typed as the released schema) that alone judge checkpoints and attempts. */
  readonly validation?: Table;
  /** Outside DP: the validation split, which stands in for the holdout when checkpoints and attempts are judged. */
  readonly validationSplit?: Table;
  /** Ctrl-C once: training stops after the current step and the model samples from what it learnt. */
  readonly stopTraining: AbortSignal;
  /** Ctrl-C twice: sampling stops too. */
  readonly stopAll: AbortSignal;
  /** Makes the untrained model of each attempt (the registry's, or a caller's such as a test's fake). */
  /** The methods attempts may train (a switch must name one of them). */
  readonly registry: Registry;
  readonly create: (method: MethodId, params: Readonly<Record<string, number>>) => Promise<Synthesizer>;
  /** Every parameter of a method the retry loop switches to: its size defaults for this table. */
  readonly defaultsFor: (method: MethodId) => ResolvedParam[];
  readonly onEstimate?: (seconds: number) => void;
  readonly onTraining?: (progress: FitProgress) => void;
  readonly onSampling?: (done: number, total: number, seconds: number) => void;
  /** Early stopping's checkpoints: when one starts being judged, and its verdict. */
  readonly onCheckpoint?: (event: CheckpointEvent) => void;
}

/**
 * A checkpoint as the console follows it: `evaluating` while the sample is judged (training waits),
 * then `judged` with the verdict. Under DP checkpoints exist only where public validation rows judge
 * them, and their time is not given (it grows with the private row count).
 */
export type CheckpointEvent =
  | { readonly phase: 'evaluating'; readonly epoch: number; readonly last: boolean }
  | {
      readonly phase: 'judged';
      readonly epoch: number;
      readonly last: boolean;
      readonly allGreen: boolean;
      readonly failing: readonly string[];
      readonly stop: boolean;
      readonly seconds: number | null;
    };

/**
 * What a search watches during an attempt's training: each judged checkpoint, with the share of
 * training done; a reason returned stops the attempt there (pruned: no final sample is drawn).
 */
export interface CheckpointWatch {
  readonly judged: (point: {
    readonly epoch: number;
    readonly fraction: number;
    readonly standing: Standing;
    readonly quality: number | null;
  }) => string | null;
}

/** An attempt the search stopped at a checkpoint, and why. */
export interface PrunedRecord {
  readonly at_epoch: number;
  readonly reason: string;
}

/** The method and parameters of one attempt, and under DP its epsilon (the retry loop's or the grid point's). */
export interface AttemptSetup {
  readonly method: MethodId;
  readonly params: ResolvedParam[];
  /** Under DP: the attempt's epsilon, preprocessing share included (null without DP). */
  readonly epsilon: number | null;
}

export interface AttemptOutcome extends AttemptSetup {
  readonly attempt: number;
  /** The optimizer's changes that led to this attempt (none for the first). */
  readonly changes: Change[];
  /** Under DP: the attempt's epsilon, preprocessing share included (null without DP). */
  readonly epsilon: number | null;
  readonly model: Synthesizer;
  readonly training: FitSummary | null;
  readonly synthetic: Table;
  /**
   * What judged the attempt: the training and holdout rows; under DP only public validation rows,
   * or nothing (null) when there are none.
   */
  readonly evaluation: Evaluation | null;
  /** The model's checks on its own sample (sample_spread), for an evaluation made later. */
  readonly sampleChecks: readonly SampleCheck[];
  readonly standing: Standing;
  readonly earlyStop: EarlyStopRecord | null;
  /** What holding the constraints cost (null: none declared). */
  readonly constraints: ConstraintsRecord | null;
  /** Stopped by the search at a checkpoint (null: it ran its course); a pruned attempt has no rows. */
  readonly pruned: PrunedRecord | null;
  readonly seconds: { train: number; sample: number; evaluate: number };
}

export async function runAttempt(
  ctx: AttemptContext,
  attempt: number,
  { method, params, epsilon }: AttemptSetup,
  changes: Change[],
  loaded?: Synthesizer,
  watch?: CheckpointWatch,
): Promise<AttemptOutcome> {
  const model = loaded ?? (await ctx.create(method, paramValues(params)));
  const seconds = { train: 0, sample: 0, evaluate: 0 };
  try {
    let training = model.training;
    let earlyStop: EarlyStopRecord | null = null;
    let pruned: PrunedRecord | null = null;
    if (!loaded) {
      const started = performance.now();
      const fitted = await fit(ctx, model, params, epsilon, watch);
      ({ training, earlyStop, pruned } = fitted);
      seconds.train = (performance.now() - started) / 1000;
    }
    if (pruned) {
      const outcome = { attempt, method, params, changes, epsilon, model, training, earlyStop, pruned, seconds };
      const nothing = { synthetic: ctx.template, evaluation: null, sampleChecks: [], constraints: null };
      return { ...outcome, ...nothing, standing: NOTHING_EVALUATED };
    }
    const sampleStart = performance.now();
    const { sampled, record: constraints } = await sampleConstrained(
      model,
      ctx.rows,
      {
        seed: ctx.seed,
        condition: ctx.condition,
        signal: ctx.stopAll,
        onProgress: (done, total) => ctx.onSampling?.(done, total, (performance.now() - sampleStart) / 1000),
      },
      ctx.constraints ?? [],
    );
    seconds.sample = (performance.now() - sampleStart) / 1000;
    const synthetic = alignLevels(sampled.table, ctx.template);
    const evaluateStart = performance.now();
    const evaluation = await judgeRows(ctx, synthetic, sampled.checks);
    seconds.evaluate = (performance.now() - evaluateStart) / 1000;
    const rank = evaluation ? standing(evaluation.verdict) : NOTHING_EVALUATED;
    const outcome = { attempt, method, params, changes, epsilon, model, training, synthetic, evaluation, earlyStop };
    return { ...outcome, constraints, sampleChecks: sampled.checks, standing: rank, pruned: null, seconds };
  } catch (error) {
    if (!loaded) model.dispose();
    throw error;
  }
}

async function fit(
  ctx: AttemptContext,
  model: Synthesizer,
  params: ResolvedParam[],
  epsilon: number | null,
  watch?: CheckpointWatch,
): Promise<{ training: FitSummary; earlyStop: EarlyStopRecord | null; pruned: PrunedRecord | null }> {
  const values = paramValues(params);
  // A method that does not train by epochs (aim) has no epochs to checkpoint.
  const byEpochs = ctx.registry.has(model.method) ? ctx.registry.get(model.method).capabilities.trainsByEpochs : true;
  // Under DP the checkpoints' schedule is in the report: it reads the released count, never the exact one.
  const rows = ctx.privacy?.trainRows ?? ctx.train.rowCount;
  const stepsPerEpoch = byEpochs ? Math.ceil(rows / Math.min(values.batch_size, rows)) : 1;
  const every = byEpochs ? checkpointEvery(values.n_iter, stepsPerEpoch) : 0;
  const sampleRows = Math.min(CHECKPOINT_ROWS, rows);
  const early = new EarlyStop();
  const budget = ctx.privacy;
  // Under DP, checkpoints evaluated on training rows would leak outside the accountant: only a public table may judge them.
  const validation = ctx.validation;
  const checkpoints = byEpochs && ctx.earlyStop && (!budget || validation);
  let judged: Verdict | undefined;
  let quality: number | null = null;
  let pruned: PrunedRecord | null = null;
  const policy = followed(
    watched(
      checkpointPolicy(early, every, sampleRows, async (sample) => {
        const evaluation = validation
          ? await utilityAgainst(ctx, validation, sample)
          : await evaluateAgainstInput(judging(ctx), alignLevels(sample, ctx.template));
        quality = evaluation.quality?.score ?? null;
        return (judged = evaluation.verdict);
      }),
      (epoch) => {
        if (!watch || !judged) return false;
        const point = { epoch, fraction: epoch / values.n_iter, standing: standing(judged), quality };
        const reason = watch.judged(point);
        if (reason) pruned = { at_epoch: epoch, reason };
        return reason !== null;
      },
    ),
    (epoch, last) => ctx.onCheckpoint?.({ phase: 'evaluating', epoch, last }),
    (epoch, last, stop, seconds) =>
      ctx.onCheckpoint?.({
        phase: 'judged',
        epoch,
        last,
        allGreen: judged?.allGreen ?? false,
        failing: judged?.violations.map((v) => v.metric) ?? [],
        stop,
        seconds: budget ? null : seconds,
      }),
  );
  // A run under a budget never trains without one: an attempt with no epsilon there is a bug, not a non-DP fit.
  if (budget && epsilon === null) throw new Error('an attempt of a DP run has no epsilon');
  const privacy = budget && epsilon !== null ? trainingPrivacy(budget, epsilon) : undefined;
  const training = await model.fit(ctx.train, {
    seed: ctx.seed,
    threads: ctx.threads,
    ...(ctx.chooseThreads ? { chooseThreads: true } : {}),
    backend: ctx.backend,
    signal: ctx.stopTraining,
    onEstimate: ctx.onEstimate,
    onProgress: ctx.onTraining,
    ...(checkpoints ? { checkpoints: policy } : {}),
    ...(privacy && budget ? { privacy, statistics: budget.statistics } : {}),
    ...(ctx.init ? { init: ctx.init.start } : {}),
  });
  if (privacy) checkPrivateTraining(model.method, training, privacy.epsilon);
  const earlyStop = checkpoints
    ? {
        every_epochs: every,
        sample_rows: sampleRows,
        stopped_at_epoch: early.stoppedAt,
        checkpoints: early.history,
        kept_reason: early.keptReason,
        actions: early.actions,
      }
    : null;
  return { training, earlyStop, pruned };
}

/** `policy`, also stopped where `stopHere` says so after a checkpoint that would not have stopped (never at the last weights). */
function watched(policy: CheckpointPolicy, stopHere: (epoch: number) => boolean): CheckpointPolicy {
  return {
    ...policy,
    async decide(epoch, sample, last = false) {
      const stop = await policy.decide(epoch, sample, last);
      return stop || (!last && stopHere(epoch));
    },
  };
}

/** `policy` with its checkpoints announced: before one is judged, and after, with its verdict. */
function followed(
  policy: CheckpointPolicy,
  evaluating: (epoch: number, last: boolean) => void,
  judged: (epoch: number, last: boolean, stop: boolean, seconds: number) => void,
): CheckpointPolicy {
  return {
    ...policy,
    async decide(epoch, sample, last = false) {
      evaluating(epoch, last);
      const started = performance.now();
      const stop = await policy.decide(epoch, sample, last);
      judged(epoch, last, stop, (performance.now() - started) / 1000);
      return stop;
    },
  };
}

/** A model that trained without DP-SGD, or spent past its target, must not pass for private. */
function checkPrivateTraining(method: string, training: FitSummary, target: number): void {
  if (!training.privacy)
    throw new GesalpError(
      'usage',
      `method ${method} cannot train with DP-SGD in this build of gesalp: its training reported no privacy accounting`,
      'Train without a privacy budget, or with a method that supports DP-SGD.',
    );
  if (training.privacy.spentEpsilon > target * (1 + 1e-9))
    throw new Error(`DP-SGD spent epsilon ${training.privacy.spentEpsilon}, above its target ${target}`);
}

/** Utility checks of the sample against `real` (checkpoints under DP: the public rows, where no privacy check applies). */
function utilityAgainst(ctx: AttemptContext, validation: Table, sample: Table): Promise<Evaluation> {
  const thresholds = Object.fromEntries(
    Object.entries(ctx.thresholds).filter(([id]) => (UTILITY_CHECKS as readonly string[]).includes(id)),
  );
  return evaluateTables(validation, alignLevels(sample, validation), undefined, {
    thresholds,
    backend: ctx.backend,
    seed: ctx.seed,
  });
}

const UTILITY_CHECKS = ['ks_mean', 'tvd_mean', 'corr_delta'] as const;

/**
 * The utility checks and the quality score of rows, as cheap choices read them: against the
 * validation split (the training rows where the run took none), or under DP the public validation
 * rows only (null without them).
 */
export function judgeUtility(ctx: AttemptContext, synthetic: Table): Promise<Evaluation | null> {
  if (!ctx.evaluate) return Promise.resolve(null);
  if (ctx.privateOutput) return ctx.validation ? utilityAgainst(ctx, ctx.validation, synthetic) : Promise.resolve(null);
  return utilityAgainst(ctx, ctx.validationSplit ?? ctx.train, synthetic);
}

/**
 * What judges an attempt (SPEC section 8): outside DP the training rows and the holdout; under DP
 * only public validation rows, or nothing, since a choice made on private rows is a release the
 * accountant does not cover.
 */
export function judgeRows(
  ctx: AttemptContext,
  synthetic: Table,
  checks: readonly SampleCheck[] = [],
): Promise<Evaluation | null> {
  if (!ctx.evaluate) return Promise.resolve(null);
  if (!ctx.privateOutput) return evaluateAgainstInput(judging(ctx), synthetic, checks, ctx.fidelityRows);
  return ctx.validation ? utilityAgainst(ctx, ctx.validation, synthetic) : Promise.resolve(null);
}

/** The context a choice is judged in: the validation split in the holdout's place, where the run took one. */
const judging = (ctx: AttemptContext): AttemptContext =>
  ctx.validationSplit ? { ...ctx, holdout: ctx.validationSplit } : ctx;

/** The SPEC's metrics of synthetic rows against the training rows and the holdout, with the model's own sample checks. */
export const evaluateAgainstInput = (
  ctx: Pick<AttemptContext, 'train' | 'holdout' | 'thresholds' | 'backend' | 'seed' | 'target'>,
  synthetic: Table,
  checks: readonly SampleCheck[] = [],
  fidelityReal?: Table,
): Promise<Evaluation> =>
  evaluateTables(ctx.train, synthetic, ctx.holdout, {
    ...(fidelityReal ? { fidelityReal } : {}),
    thresholds: ctx.thresholds,
    backend: ctx.backend,
    seed: ctx.seed,
    target: ctx.target,
    extraChecks: checks.map((c) => upperBoundCheck(c.id, c.value, c.threshold, c.message)),
  });
