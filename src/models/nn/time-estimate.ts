/**
 * Training time before anything runs (gesalp suggest), for the methods trained in epochs: each
 * step costs a fixed overhead (thread hand-offs, optimizer, the checkpoints' share) plus a time per
 * row and network weight the row goes through. Each method fits its two constants on its own runs
 * in bench/results/methods-*.json; `npm run bench methods` records the estimate beside the measured
 * time, and `npm run bench summary` prints their ratio and a refit, so a stale calibration shows.
 */
import { formatCount } from '../../core/text/format.js';
import type { TimeEstimate } from '../descriptor.js';

export interface StepCost {
  /** Seconds per step, whatever its rows. */
  readonly perStep: number;
  /** Seconds per row and weight. */
  readonly perRowWeight: number;
  /** Where the constants were fitted. */
  readonly fittedOn: string;
}

/** The benchmark machine the methods' constants come from. */
export const BENCH_MACHINE = 'the methods benchmark (2 threads of an AMD EPYC)';

export interface EpochRun {
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  readonly rowsPerStep: number;
  /** Network weights a training row goes through. */
  readonly weights: number;
}

export function epochsEstimate(cost: StepCost, run: EpochRun): TimeEstimate {
  const stepSeconds = cost.perStep + run.rowsPerStep * run.weights * cost.perRowWeight;
  const rowsPerSecond = run.rowsPerStep / stepSeconds;
  return {
    seconds: run.epochs * run.stepsPerEpoch * stepSeconds,
    basis: `${formatCount(run.epochs * run.stepsPerEpoch)} steps (${formatCount(run.epochs)} epochs x ${formatCount(run.stepsPerEpoch)}), ${formatCount(Math.round(rowsPerSecond))} training rows/s at ${formatCount(Math.round(run.rowsPerStep))} rows a step through ${formatCount(run.weights)} weights, fitted on ${cost.fittedOn}; early stopping usually ends sooner`,
  };
}

/** Steps of an epoch that splits the rows into even batches of at most `batchSize` (TabDDPM, TVAE). */
export function evenBatches(trainRows: number, batchSize: number): Pick<EpochRun, 'stepsPerEpoch' | 'rowsPerStep'> {
  const rows = Math.max(1, trainRows);
  const stepsPerEpoch = Math.ceil(rows / Math.min(batchSize, rows));
  return { stepsPerEpoch, rowsPerStep: rows / stepsPerEpoch };
}
