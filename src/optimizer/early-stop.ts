/**
 * Early stopping (issue 4: "stop when metrics are already all green"): every few epochs a small
 * sample is evaluated; training stops at a checkpoint that is all green and no better than the
 * best earlier all-green one, so two green checkpoints in a row are needed and noise in one
 * small sample does not end training. The weights training ends with are judged too, and the
 * model keeps the best checkpoint's instead when it clearly beat them: a GAN's last iterate
 * wanders (CTGAN on german_credit: ks_mean 0.07-0.21 between checkpoints of one run).
 *
 * Real-time adjustment (issue 29, item 5): a run that is not green and stops improving is on a
 * plateau. The first answers are a lower learning rate from that checkpoint on; when lowering no
 * longer helps, training stops so that the search moves on (PLATEAU_RULE). The engine's restarts
 * after a NaN or exploding loss (src/models/nn/train/restart.ts) are told here too, and every
 * action is one line of `actions`, which the report carries as early_stop.actions.
 */
import { compareStandings, standing, type Standing, type Verdict } from '../metrics/checks.js';
import type { Table } from '../core/table.js';
import type { CheckpointPolicy, TrainingRestart } from '../models/synthesizer.js';

/** A checkpoint must improve the score by this share to count as still improving. */
const MIN_GAIN = 0.05;

/** The keep rule of `keptEpoch`, in words for the report's readers. */
export const KEPT_RULE =
  'The rule: an all-green checkpoint beats one that is not; then the one with fewer failing checks wins; only when both tie does the score decide (lower is better), and an earlier checkpoint must beat the last weights’ score by 5 %, so that one lucky small sample does not roll training back.';
/** Checkpoints in a row that do not improve on the best before them make a plateau. */
const PLATEAU_CHECKPOINTS = 2;
/** A plateau multiplies the learning rate by this... */
const PLATEAU_LR_FACTOR = 0.5;
/** ...this many times in a run; the next plateau stops training. */
const MAX_LR_LOWERINGS = 2;

/** The plateau rule of `observe`, in words for the report's readers. */
export const PLATEAU_RULE = `A checkpoint improves when it beats the best one before it by the keep rule (greener, fewer failing checks, or a score 5 % lower). When ${PLATEAU_CHECKPOINTS} checkpoints in a row do not, and the last is not all green, training goes on with the learning rate times ${PLATEAU_LR_FACTOR}, at most ${MAX_LR_LOWERINGS} times a run; the next such plateau stops training, so that the search moves on. Each lowering starts the count again.`;

/** Something done to a run while it trained, as one line of the report. */
export interface TrainingAction {
  /** Epochs done when it was done. */
  readonly epoch: number;
  /** lower_lr: a plateau; stop: a plateau after the lowerings, or one restart too many; restart: a NaN or exploding loss. */
  readonly action: 'lower_lr' | 'stop' | 'restart';
  /** The learning rate's multiplier from here on, relative to the configured one (null where training stopped). */
  readonly lr_scale: number | null;
  readonly reason: string;
}

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
  /** What was done to the run while it trained, in order. */
  readonly actions: TrainingAction[] = [];
  private best: { epoch: number; standing: Standing } | null = null;
  private last: { epoch: number; standing: Standing } | null = null;
  /** Checkpoints since the last one that improved on the best, or since the last lowering. */
  private flat = 0;
  private lowerings = 0;
  private lrScale = 1;

  /** Records a checkpoint's verdict and says whether to stop there (never at `last`, the weights training ended with). */
  observe(epoch: number, verdict: Verdict, seconds: number, last = false): boolean {
    const rank = standing(verdict);
    const { allGreen, score } = rank;
    const earlierGreen = this.history.filter((h) => h.all_green).map((h) => h.score);
    const best = Math.min(...earlierGreen);
    const greenStop = !last && allGreen && earlierGreen.length > 0 && score > best * (1 - MIN_GAIN);
    const stop = greenStop || (!last && this.plateau(epoch, rank));
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

  /** PLATEAU_RULE at a checkpoint that is not the last weights: true to stop; a lowering is recorded. */
  private plateau(epoch: number, rank: Standing): boolean {
    const improved = !this.best || clearlyBetter(rank, this.best.standing) !== null;
    this.flat = improved ? 0 : this.flat + 1;
    if (rank.allGreen || this.flat < PLATEAU_CHECKPOINTS) return false;
    const flat = `no better than the best checkpoint (epoch ${this.best!.epoch}) for ${this.flat} checkpoints and not all green`;
    this.flat = 0;
    if (this.lowerings === MAX_LR_LOWERINGS) {
      this.act(epoch, 'stop', null, `${flat} after ${MAX_LR_LOWERINGS} lowerings of the learning rate`);
      return true;
    }
    this.lowerings++;
    this.lrScale *= PLATEAU_LR_FACTOR;
    this.act(epoch, 'lower_lr', this.lrScale, `${flat}: the learning rate times ${PLATEAU_LR_FACTOR}`);
    return false;
  }

  /** The learning rate's factor from the checkpoint at `epoch` on: a lowering's, else 1. */
  lrFactor(epoch: number): number {
    return this.actions.some((a) => a.epoch === epoch && a.action === 'lower_lr') ? PLATEAU_LR_FACTOR : 1;
  }

  /** Records a restart of the training engine (which lowered the learning rate itself, or stopped). */
  restarted(restart: TrainingRestart): void {
    // The engine's scale includes the lowerings it was told of; restarts multiply it further.
    this.lrScale = restart.lrScale;
    const weights =
      restart.fromEpoch === 0 ? 'the initial weights' : `the epoch ${restart.fromEpoch} checkpoint’s weights`;
    if (restart.stopped)
      this.act(
        restart.epoch,
        'stop',
        null,
        `${restart.reason}, one restart too many: training stopped with ${weights}`,
      );
    else
      this.act(
        restart.epoch,
        'restart',
        restart.lrScale,
        `${restart.reason}: restarted from ${weights} with a lower learning rate`,
      );
  }

  private act(epoch: number, action: TrainingAction['action'], scale: number | null, reason: string): void {
    this.actions.push({ epoch, action, lr_scale: scale, reason });
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
    lrFactor: (epoch) => early.lrFactor(epoch),
    restarted: (restart) => early.restarted(restart),
  };
}
