/**
 * What every model trained by the engine tells its caller: progress (with the time estimate from
 * a short timed calibration after a few warm-up steps) and the summary of the fit.
 */
import type { Table } from '../../../core/table.js';
import type {
  CheckpointPolicy,
  FitOptions,
  FitSummary,
  ThreadChoice,
  TrainingPrivacySummary,
} from '../../synthesizer.js';
import { trainParallel } from './parallel.js';
import { privacySummary, type PrivateSettings } from './private-plan.js';
import type { GroupWeights, TrainJob, TrainProgress, TrainResult } from './task.js';
import { chooseThreads } from './thread-choice.js';

/** Shard 0 reports progress every this many steps. */
export const PROGRESS_EVERY = 5;
/** Steps timed at the start of training for the estimate (after a few that warm the kernels up). */
const WARMUP_STEPS = 5;
const CALIBRATION_STEPS = 20;

/** The engine's progress as FitOptions wants it; `lossGroup` is the loss shown (every group's goes along when several). */
export function fitProgress(
  options: Pick<FitOptions, 'onEstimate' | 'onProgress'>,
  epochs: number,
  lossGroup: string,
): (progress: TrainProgress) => void {
  let calibrationStart = 0;
  return ({ epoch, step, steps, seconds, losses }) => {
    if (step === WARMUP_STEPS) calibrationStart = seconds;
    if (step === WARMUP_STEPS + CALIBRATION_STEPS)
      options.onEstimate?.(seconds + ((seconds - calibrationStart) / CALIBRATION_STEPS) * (steps - step));
    const several = Object.keys(losses).length > 1;
    options.onProgress?.({
      epoch,
      epochs,
      step,
      steps,
      loss: losses[lossGroup],
      ...(several ? { losses } : {}),
      seconds,
    });
  };
}

export interface FitRun {
  readonly epochs: number;
  readonly threads: number;
  /** How --threads auto chose `threads`, if it did. */
  readonly threadChoice?: ThreadChoice;
  /** Training rows a step goes through on average (the throughput's unit). */
  readonly rowsPerStep: number;
  /** The group whose loss curve the summary keeps. */
  readonly lossGroup: string;
  /** Under DP-SGD: what the run spent; the loss curve, read from the rows outside the accountant, is then not kept. */
  readonly privacy?: TrainingPrivacySummary;
  /** The earlier checkpoint whose weights the model keeps, if any. */
  readonly keptEpoch?: number;
}

export function fitSummary(result: TrainResult, run: FitRun): FitSummary {
  const seconds = Math.max(result.seconds, 1e-9);
  return {
    epochsDone: result.epochsDone,
    epochs: run.epochs,
    stepsDone: result.stepsDone,
    seconds: result.seconds,
    stepsPerSecond: result.stepsDone / seconds,
    samplesPerSecond: (result.stepsDone * run.rowsPerStep) / seconds,
    stopped: result.stopped,
    earlyStopped: result.earlyStopped,
    ...(run.keptEpoch === undefined ? {} : { keptEpoch: run.keptEpoch }),
    epochLoss: run.privacy ? [] : result.epochLoss[run.lossGroup],
    threads: run.threads,
    ...(run.threadChoice ? { threadChoice: run.threadChoice } : {}),
    ...(run.privacy ? { privacy: run.privacy } : {}),
  };
}

export interface FitTraining {
  readonly epochs: number;
  readonly rowsPerStep: number;
  readonly lossGroup: string;
  /** The DP-SGD plan the job carries, if any. */
  readonly privacy?: PrivateSettings;
  /** How the checkpoints of `options.checkpoints` sample: rows from the model with these weights. */
  readonly checkpointSample?: (epoch: number, weights: GroupWeights) => (rows: number) => Promise<Table>;
}

/** The seed of a checkpoint's sample: its own per epoch, apart from the final sample's. */
export const checkpointSeed = (seed: number, epoch: number): number => (seed + epoch) ^ 0xc0ffee;

/**
 * Runs a model's engine job as FitOptions asks (threads, or a timed choice of them; backend,
 * signal, progress, checkpoints) and sums the fit up. With checkpoints, the weights training ends with are judged as one more,
 * and the result holds the best checkpoint's weights where the policy keeps those. The policy's
 * answer at a checkpoint may lower the learning rate from there on, and it is told of the
 * engine's restarts after a NaN or exploding loss (restart.ts).
 */
export async function trainForFit<Payload>(
  job: TrainJob<Payload>,
  options: FitOptions,
  run: FitTraining,
): Promise<{ result: TrainResult; training: FitSummary }> {
  const policy = options.checkpoints;
  const sampler = policy && run.checkpointSample;
  let best: { epoch: number; weights: GroupWeights } | null = null;
  const choice = options.chooseThreads
    ? await chooseThreads(job, options.threads, { backend: options.backend, signal: options.signal })
    : undefined;
  const threads = choice?.chosen ?? options.threads;
  const result = await trainParallel(job, {
    threads,
    backend: options.backend,
    signal: options.signal,
    onProgress: fitProgress(options, run.epochs, run.lossGroup),
    ...(sampler
      ? {
          onCheckpoint: async (epoch, weights) => {
            const stop = await policy.decide(epoch, sampler(epoch, weights));
            if (policy.bestEpoch?.() === epoch) best = { epoch, weights };
            return { stop, lrFactor: stop ? 1 : (policy.lrFactor?.(epoch) ?? 1) };
          },
        }
      : {}),
    onRestart: (restart) => policy?.restarted?.(restart),
  });
  const kept = sampler ? await keptCheckpoint(policy, result, sampler, best) : null;
  const privacy = run.privacy && options.privacy ? privacySummary(options.privacy, run.privacy, result) : undefined;
  const training = fitSummary(result, {
    ...run,
    threads,
    ...(choice ? { threadChoice: choice } : {}),
    privacy,
    ...(kept ? { keptEpoch: kept.epoch } : {}),
  });
  return { result: kept ? { ...result, weights: kept.weights } : result, training };
}

/**
 * The earlier checkpoint to keep instead of the last weights, if any: the last weights are judged
 * (unless a checkpoint already stopped training with them), then the policy chooses. A run the
 * user stopped keeps what it learnt, and so does one whose last weights fail to evaluate.
 */
async function keptCheckpoint(
  policy: CheckpointPolicy,
  result: TrainResult,
  sample: NonNullable<FitTraining['checkpointSample']>,
  best: { epoch: number; weights: GroupWeights } | null,
): Promise<{ epoch: number; weights: GroupWeights } | null> {
  if (result.stopped || !best || !policy.keptEpoch) return null;
  try {
    if (!result.earlyStopped) await policy.decide(result.epochsDone, sample(result.epochsDone, result.weights), true);
  } catch {
    // As a checkpoint that fails to evaluate does not end training, the last weights stay.
    return null;
  }
  const epoch = policy.keptEpoch();
  return epoch === best.epoch && epoch !== result.epochsDone ? best : null;
}
