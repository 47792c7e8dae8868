/**
 * What every model trained by the engine tells its caller: progress (with the time estimate from
 * a short timed calibration after a few warm-up steps) and the summary of the fit.
 */
import type { FitOptions, FitSummary, TrainingPrivacySummary } from '../../synthesizer.js';
import { trainParallel, type ParallelOptions } from './parallel.js';
import { privacySummary, type PrivateSettings } from './private-plan.js';
import type { TrainJob, TrainProgress, TrainResult } from './task.js';

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
  /** Training rows a step goes through on average (the throughput's unit). */
  readonly rowsPerStep: number;
  /** The group whose loss curve the summary keeps. */
  readonly lossGroup: string;
  /** Under DP-SGD: what the run spent; the loss curve, read from the rows outside the accountant, is then not kept. */
  readonly privacy?: TrainingPrivacySummary;
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
    epochLoss: run.privacy ? [] : result.epochLoss[run.lossGroup],
    threads: run.threads,
    ...(run.privacy ? { privacy: run.privacy } : {}),
  };
}

export interface FitTraining {
  readonly epochs: number;
  readonly rowsPerStep: number;
  readonly lossGroup: string;
  /** The DP-SGD plan the job carries, if any. */
  readonly privacy?: PrivateSettings;
  readonly onCheckpoint?: ParallelOptions['onCheckpoint'];
}

/** Runs a model's engine job as FitOptions asks (threads, backend, signal, progress) and sums the fit up. */
export async function trainForFit<Payload>(
  job: TrainJob<Payload>,
  options: FitOptions,
  run: FitTraining,
): Promise<{ result: TrainResult; training: FitSummary }> {
  const result = await trainParallel(job, {
    threads: options.threads,
    backend: options.backend,
    signal: options.signal,
    onCheckpoint: run.onCheckpoint,
    onProgress: fitProgress(options, run.epochs, run.lossGroup),
  });
  const privacy = run.privacy && options.privacy ? privacySummary(options.privacy, run.privacy, result) : undefined;
  const training = fitSummary(result, { ...run, threads: options.threads, privacy });
  return { result, training };
}
