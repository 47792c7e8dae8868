/**
 * Restarts after a NaN or exploding loss (issue 29, item 5: real-time adjustment). A shard keeps
 * the optimizer state of its last good checkpoint (weights, Adam's moments, the weight average);
 * when a loss goes bad it puts that state back and goes on with the learning rate halved, instead
 * of training on to the end with NaN weights. Every shard sees the same summed loss and holds the
 * same weights, so every shard restarts at the same step, identically: a seeded run on as many
 * threads still repeats.
 *
 * The step count does not go back: training goes on with the batches it would have taken next, so
 * it takes no more steps than planned. Under DP-SGD that is what keeps a restart free: every step
 * taken, the ones thrown away included, was a release the accountant counts (the plan's steps, and
 * spent(step) reads the steps taken), and the restart reads only the weights, which are
 * post-processing of those released noisy gradients. The loss is never read under DP (it is
 * computed from the private rows outside the accountant), so there weights that are not finite
 * after a step trigger a restart (before the next step's clipping meets them).
 */
import type { TrainingRestart } from '../../synthesizer.js';
import type { AdamState } from './adam.js';
import type { GroupState } from './group-state.js';

/** Restarts one run may take; at the next bad loss training stops with the last good weights. */
export const MAX_RESTARTS = 2;
/** A restart multiplies the learning rate by this. */
export const RESTART_LR_FACTOR = 0.5;
/** A finite loss is exploding past this multiple of the median magnitude of its group's last WINDOW losses... */
const EXPLODING = 100;
/** ...and past EXPLODING times this, so that a loss near 0 (a critic's) going to 1 is not an explosion. */
const FLOOR = 1;
const WINDOW = 100;

/** The restart rule, in words for the report's readers. */
export const RESTART_RULE = `A loss that is not a finite number, or one over ${EXPLODING} times the median size of the group's last ${WINDOW} losses (and over ${EXPLODING * FLOOR}), is not stepped with; it, or weights that are not finite after a step under DP (which never reads the loss) or at an epoch's end, restart training from the last good checkpoint's weights and optimizer state with the learning rate times ${RESTART_LR_FACTOR}; the step count goes on, so no more steps are taken than planned. After ${MAX_RESTARTS} restarts the next one stops training with the last good weights instead.`;

export class Restarts {
  private good: { epoch: number; states: AdamState[] };
  private readonly recent: Float64Array[];
  private readonly seen: Int32Array;
  private readonly names: string[];
  private done = 0;

  /** `watchLoss`: false under DP-SGD, where the loss must not be read. */
  constructor(
    groups: readonly GroupState[],
    private readonly watchLoss: boolean,
  ) {
    this.good = { epoch: 0, states: groups.map((g) => g.save()) };
    this.recent = groups.map(() => new Float64Array(WINDOW));
    this.seen = new Int32Array(groups.length);
    this.names = groups.map((g) => g.name);
  }

  /** What is wrong with group `index`'s summed loss `loss`, or null (and it joins the group's window). */
  check(index: number, loss: number): string | null {
    if (!this.watchLoss) return null;
    if (!Number.isFinite(loss)) return `the ${this.names[index]} loss was ${loss}`;
    const size = Math.abs(loss);
    const recent = this.recent[index];
    const seen = this.seen[index];
    // The median is only worked out for a loss past the floor, so an ordinary step costs nothing.
    if (seen >= WINDOW && size > EXPLODING * FLOOR) {
      const median = medianOf(recent);
      if (size > EXPLODING * Math.max(median, FLOOR))
        return `the ${this.names[index]} loss ${round(loss)} exploded past ${EXPLODING} times its recent median ${round(median)}`;
    }
    recent[seen % WINDOW] = size;
    this.seen[index] = seen + 1;
    return null;
  }

  /** Keeps the groups' state as the last good one, at `epoch` epochs done, when every weight is finite. */
  keep(epoch: number, groups: readonly GroupState[]): void {
    if (groups.every((g) => g.finite())) this.good = { epoch, states: groups.map((g) => g.save()) };
  }

  /**
   * Puts the last good state back into `groups` (the caller copies the weights into the networks)
   * and lowers their learning rate, or, after MAX_RESTARTS, only puts the state back: the caller
   * stops then.
   */
  restart(groups: readonly GroupState[], epoch: number, step: number, reason: string): TrainingRestart {
    groups.forEach((g, i) => g.restore(this.good.states[i]));
    this.seen.fill(0);
    const stopped = this.done === MAX_RESTARTS;
    if (!stopped) {
      this.done++;
      for (const g of groups) g.lrScale *= RESTART_LR_FACTOR;
    }
    return { epoch, step, fromEpoch: this.good.epoch, lrScale: groups[0].lrScale, stopped, reason };
  }
}

function medianOf(values: Float64Array): number {
  const sorted = values.slice().sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (x: number): number => Number(x.toPrecision(4));
