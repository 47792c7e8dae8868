/**
 * Early stopping (issue 4: "stop when metrics are already all green"): every few epochs a small
 * sample is evaluated; training stops at a checkpoint that is all green and no better than the
 * best earlier all-green one, so two green checkpoints in a row are needed and noise in one
 * small sample does not end training. The weights training ends with are judged too, and the
 * model keeps the best checkpoint's instead when it clearly beat them: a GAN's last iterate
 * wanders (CTGAN on german_credit: ks_mean 0.07-0.21 between checkpoints of one run).
 */
import { compareStandings, standing, type Standing, type Verdict } from '../metrics/checks.js';
import type { Table } from '../core/table.js';
import type { CheckpointPolicy } from '../models/synthesizer.js';

/** A checkpoint must improve the score by this share to count as still improving. */
const MIN_GAIN = 0.05;

/** The keep rule of `keptEpoch`, in words for the report's readers. */
export const KEPT_RULE =
  'The rule: an all-green checkpoint beats one that is not; then the one with fewer failing checks wins; only when both tie does the score decide (lower is better), and an earlier checkpoint must beat the last weights’ score by 5 %, so that one lucky small sample does not roll training back.';
/** Checkpoint samples stay small: noisy, but seconds rather than minutes. */
export const CHECKPOINT_ROWS = 2000;
/** About ten checkpoints per run, and at least this many steps between two. */
const CHECKPOINTS_PER_RUN = 10;
const MIN_STEPS_BETWEEN = 500;

export interface CheckpointRecord {
  readonly epoch: number;
  /** Each check's value (sample_spread's too). */
  readonly metrics: Readonly<Record<string, number | null>>;
  readonly all_green: boolean;
  /** The verdict's standing score (src/metrics/checks.ts): lower is better. */
  readonly score: number;
  /** Checks that did not pass at this checkpoint. */
  readonly failing: number;
  readonly stop: boolean;
  readonly seconds: number;
  /** The weights training ended with, judged to choose what to keep (not one of the every-N-epochs checkpoints). */
  readonly last?: true;
}

/** Epochs between checkpoints for a run of `epochs` epochs of `stepsPerEpoch` steps. */
export function checkpointEvery(epochs: number, stepsPerEpoch: number): number {
  return Math.max(Math.ceil(epochs / CHECKPOINTS_PER_RUN), Math.ceil(MIN_STEPS_BETWEEN / Math.max(1, stepsPerEpoch)));
}

export class EarlyStop {
  readonly history: CheckpointRecord[] = [];
  private best: { epoch: number; standing: Standing } | null = null;
  private last: { epoch: number; standing: Standing } | null = null;

  /** Records a checkpoint's verdict and says whether to stop there (never at `last`, the weights training ended with). */
  observe(epoch: number, verdict: Verdict, seconds: number, last = false): boolean {
    const rank = standing(verdict);
    const { allGreen, score } = rank;
    const earlierGreen = this.history.filter((h) => h.all_green).map((h) => h.score);
    const best = Math.min(...earlierGreen);
    const stop = !last && allGreen && earlierGreen.length > 0 && score > best * (1 - MIN_GAIN);
    const metrics = Object.fromEntries(verdict.checks.map((c) => [c.metric, c.value]));
    const record = {
      epoch,
      metrics,
      all_green: allGreen,
      score,
      failing: rank.failing,
      stop,
      seconds: Math.round(seconds * 100) / 100,
    };
    this.history.push(last ? { ...record, last: true } : record);
    this.last = { epoch, standing: rank };
    if (!this.best || compareStandings(rank, this.best.standing) < 0) this.best = this.last;
    return stop;
  }

  get stoppedAt(): number | null {
    return this.history.find((h) => h.stop)?.epoch ?? null;
  }

  /** The best checkpoint so far by the attempts' ranking (ties keep the earlier one). */
  get bestEpoch(): number | null {
    return this.best?.epoch ?? null;
  }

  /**
   * The checkpoint whose weights to keep: the best one when it clearly beats the last (greener,
   * fewer failing checks, or a score lower by MIN_GAIN), else the last, so one lucky small sample
   * does not roll training back.
   */
  get keptEpoch(): number | null {
    const { best, last } = this;
    if (!best || !last) return null;
    return clearlyBetter(best.standing, last.standing) !== null ? best.epoch : last.epoch;
  }

  /** Why an earlier checkpoint's weights were kept over the last ones, by the rule's first difference; null otherwise. */
  get keptReason(): string | null {
    const { best, last } = this;
    return best && last && best !== last ? clearlyBetter(best.standing, last.standing) : null;
  }
}

/** Why standing `a` clearly beats `b` (greener, fewer failing checks, or a score lower by MIN_GAIN), or null. */
function clearlyBetter(a: Standing, b: Standing): string | null {
  if (a.allGreen !== b.allGreen) return a.allGreen ? 'it was all green and the last weights were not' : null;
  if (a.failing !== b.failing)
    return a.failing < b.failing
      ? `it failed ${a.failing} check${a.failing === 1 ? '' : 's'}, the last weights ${b.failing}, which decides before the score`
      : null;
  return a.score < b.score * (1 - MIN_GAIN)
    ? `its score ${round(a.score)} is more than 5 % below the last weights’ ${round(b.score)}`
    : null;
}

const round = (x: number): number => Number(x.toPrecision(4));

/** The fit option that runs `evaluate` on a checkpoint sample and lets `early` decide. */
export function checkpointPolicy(
  early: EarlyStop,
  everyEpochs: number,
  rows: number,
  evaluate: (synthetic: Table) => Promise<Verdict>,
): CheckpointPolicy {
  return {
    everyEpochs,
    async decide(epoch, sample, last = false) {
      const started = performance.now();
      const verdict = await evaluate(await sample(rows));
      return early.observe(epoch, verdict, (performance.now() - started) / 1000, last);
    },
    bestEpoch: () => early.bestEpoch,
    keptEpoch: () => early.keptEpoch,
  };
}
