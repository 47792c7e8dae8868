/**
 * --threads auto: before training, a short timed trial on each candidate thread count (the job
 * from its start, stopped after a few warm-up steps and a timed stretch, its weights thrown
 * away), and the fastest count trains. The thread count changes the result (each shard draws its
 * own noise and sums its slice in its own order), so a run that chose is repeatable only with the
 * count it chose: the fit summary records the choice and the rates it was made on.
 */
import type { ThreadChoice } from '../../synthesizer.js';
import { trainParallel, type ParallelOptions } from './parallel.js';
import type { TrainJob } from './task.js';

/** The warm-up before the timed stretch (workers start, kernels compile, caches warm): this many steps, or a second. */
const WARMUP_STEPS = 10;
const WARMUP_SECONDS = 1;
/** The timed stretch: at least this many steps and seconds, or MAX_TIMED_SECONDS (a slow step is timed over fewer). */
const TIMED_STEPS = 20;
const TIMED_SECONDS = 0.3;
const MAX_TIMED_SECONDS = 2;
/** More threads train only where they stepped at least this many times as fast as fewer. */
const MORE_THREADS_MARGIN = 1.05;
/** Training shorter than this many steps is not worth a trial: it runs on the fewest threads. */
export const MIN_STEPS_TO_MEASURE = 200;

/** The counts a trial compares: 1, the powers of two below `most`, and `most`. */
export function threadCandidates(most: number): number[] {
  const counts = [1];
  for (let n = 2; n < most; n *= 2) counts.push(n);
  if (most > 1) counts.push(most);
  return counts;
}

/** Steps a job trains (its planned total; DP-SGD's come from its plan, and are not timed here). */
const plannedSteps = (job: TrainJob<unknown>): number =>
  Math.ceil(job.rows / Math.min(job.batchSize, job.rows)) * job.epochs;

/**
 * Times each candidate count on the job and returns the fastest. Under DP-SGD nothing is timed
 * (a step's time grows with the private batch): the fewest threads train, as for a short job.
 */
export async function chooseThreads<Payload>(
  job: TrainJob<Payload>,
  most: number,
  options: Pick<ParallelOptions, 'backend' | 'signal' | 'launcher'>,
): Promise<ThreadChoice> {
  const candidates = threadCandidates(most);
  if (candidates.length === 1)
    return {
      chosen: 1,
      rates: [],
      reason: 'at most one thread (the cores, shared among attempts side by side): nothing to time',
    };
  if (job.privacy)
    return { chosen: 1, rates: [], reason: 'under DP-SGD a step is not timed (its time grows with the private batch)' };
  const steps = plannedSteps(job);
  if (steps < MIN_STEPS_TO_MEASURE)
    return { chosen: 1, rates: [], reason: `${steps} steps are too few to be worth timing` };
  const rates: { threads: number; stepsPerSecond: number }[] = [];
  for (const threads of candidates) {
    if (options.signal?.aborted) break;
    rates.push({ threads, stepsPerSecond: await trialRate(job, threads, options) });
  }
  const measured = rates.filter((r) => Number.isFinite(r.stepsPerSecond));
  if (!measured.length) return { chosen: 1, rates, reason: 'the trials ended before a rate was measured' };
  // More threads must be clearly faster: the same speed (within the trial's noise) for less of the machine.
  const best = measured.reduce((a, b) => (b.stepsPerSecond > MORE_THREADS_MARGIN * a.stepsPerSecond ? b : a));
  const shown = measured.map((r) => `${r.threads}: ${r.stepsPerSecond.toFixed(1)}`).join(', ');
  return { chosen: best.threads, rates, reason: `the fastest in a timed trial (steps/s by threads: ${shown})` };
}

/** Steps per second on `threads` between the warm-up's end and the trial's, or NaN if it never got there. */
async function trialRate<Payload>(
  job: TrainJob<Payload>,
  threads: number,
  options: Pick<ParallelOptions, 'backend' | 'signal' | 'launcher'>,
): Promise<number> {
  const stop = new AbortController();
  const abort = () => stop.abort();
  options.signal?.addEventListener('abort', abort);
  // The timed stretch's start, and the last progress seen.
  const mark: { from?: { step: number; seconds: number }; last?: { step: number; seconds: number } } = {};
  let rate = NaN;
  try {
    await trainParallel(
      // No checkpoints: the trial only steps.
      { ...job, checkEvery: 0 },
      {
        threads,
        backend: options.backend,
        signal: stop.signal,
        ...(options.launcher ? { launcher: options.launcher } : {}),
        onProgress: ({ step, seconds }) => {
          if (stop.signal.aborted) return;
          mark.last = { step, seconds };
          const from = mark.from;
          if (!from) {
            if (step >= WARMUP_STEPS || seconds >= WARMUP_SECONDS) mark.from = { step, seconds };
            return;
          }
          const timed = seconds - from.seconds;
          if ((step - from.step >= TIMED_STEPS && timed >= TIMED_SECONDS) || timed >= MAX_TIMED_SECONDS) {
            if (timed > 0) rate = (step - from.step) / timed;
            stop.abort();
          }
        },
      },
    );
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
  // A job that ended inside the timed stretch is timed over what it stepped.
  const { from, last } = mark;
  if (Number.isNaN(rate) && from && last && last.seconds > from.seconds)
    rate = (last.step - from.step) / (last.seconds - from.seconds);
  return rate;
}
