/**
 * Early stopping (issue 4: "stop when metrics are already all green"): every few epochs a small
 * sample is evaluated; training stops at a checkpoint that is all green and no better than the
 * best earlier all-green one, so two green checkpoints in a row are needed and noise in one
 * small sample does not end training.
 */
import type { Thresholds } from '../core/config.js';
import type { Table } from '../core/table.js';
import type { CheckpointPolicy } from '../models/synthesizer.js';
import { evaluatedChecks, findFailures, type MetricValues } from './failures.js';

/** A checkpoint must improve the score by this share to count as still improving. */
const MIN_GAIN = 0.05;
/** Checkpoint samples stay small: noisy, but seconds rather than minutes. */
export const CHECKPOINT_ROWS = 2000;
/** About ten checkpoints per run, and at least this many steps between two. */
const CHECKPOINTS_PER_RUN = 10;
const MIN_STEPS_BETWEEN = 500;

export interface CheckpointRecord {
  readonly epoch: number;
  readonly metrics: MetricValues;
  readonly all_green: boolean;
  /** Sum over evaluated checks of value / threshold: lower is better. */
  readonly score: number;
  readonly stop: boolean;
  readonly seconds: number;
}

/** Epochs between checkpoints for a run of `epochs` epochs of `stepsPerEpoch` steps. */
export function checkpointEvery(epochs: number, stepsPerEpoch: number): number {
  return Math.max(Math.ceil(epochs / CHECKPOINTS_PER_RUN), Math.ceil(MIN_STEPS_BETWEEN / Math.max(1, stepsPerEpoch)));
}

export class EarlyStop {
  readonly history: CheckpointRecord[] = [];

  constructor(private readonly thresholds: Thresholds) {}

  /** Records a checkpoint's metrics and says whether to stop there. */
  observe(epoch: number, metrics: MetricValues, seconds: number): boolean {
    const checks = evaluatedChecks(metrics, this.thresholds);
    const allGreen = checks.length > 0 && findFailures(metrics, this.thresholds).length === 0;
    const score = checks.reduce((sum, m) => sum + (metrics[m] as number) / (this.thresholds[m] as number), 0);
    const earlierGreen = this.history.filter((h) => h.all_green).map((h) => h.score);
    const best = Math.min(...earlierGreen);
    const stop = allGreen && earlierGreen.length > 0 && score > best * (1 - MIN_GAIN);
    this.history.push({
      epoch,
      metrics,
      all_green: allGreen,
      score: Math.round(score * 1000) / 1000,
      stop,
      seconds: Math.round(seconds * 100) / 100,
    });
    return stop;
  }

  get stoppedAt(): number | null {
    return this.history.find((h) => h.stop)?.epoch ?? null;
  }
}

/** The fit option that runs `evaluate` on a checkpoint sample and lets `early` decide. */
export function checkpointPolicy(
  early: EarlyStop,
  everyEpochs: number,
  rows: number,
  evaluate: (synthetic: Table) => Promise<MetricValues>,
): CheckpointPolicy {
  return {
    everyEpochs,
    async decide(epoch, sample) {
      const started = performance.now();
      const metrics = await evaluate(await sample(rows));
      return early.observe(epoch, metrics, (performance.now() - started) / 1000);
    },
  };
}
