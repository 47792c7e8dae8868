/**
 * Multi-fidelity for the search: the early-stop checkpoints score partial training, and an
 * attempt whose best checkpoint so far is worse than the median of the earlier attempts' best
 * after as many epochs (epochs are the resource, as in Hyperband) stops there: the median rule,
 * Optuna's default pruner, with a margin. So a time budget buys more configurations than full
 * runs would. A green checkpoint is never pruned, nor one past 80 % of training, nor an attempt
 * with fewer than two earlier ones to compare with.
 */

export interface CurvePoint {
  readonly epoch: number;
  /** Epochs done over epochs planned, in (0, 1]: for the message. */
  readonly fraction: number;
  /** The search's loss at the checkpoint (objective.ts). */
  readonly loss: number;
}

/** The earlier attempts needed before one may be pruned. */
const MIN_PEERS = 2;
/** How much worse than the median (in quality points; a failing check costs 120) a checkpoint must be: near-ties go on. */
const MARGIN = 2;

export class MedianPruner {
  private readonly curves: CurvePoint[][] = [];

  /** An attempt's checkpoints, once it has ended (pruned or not). */
  record(curve: readonly CurvePoint[]): void {
    if (curve.length) this.curves.push([...curve].sort((a, b) => a.epoch - b.epoch));
  }

  /**
   * Why an attempt should stop at the last checkpoint of `curve` (its checkpoints so far), or null
   * to go on. It is judged by its best checkpoint so far, against each earlier attempt's best by the
   * same epoch; at its first checkpoint, an earlier attempt whose own first one came up to half as
   * many epochs later counts with that one (checkpoint spacing follows each attempt's epochs).
   */
  verdict(curve: readonly CurvePoint[], allGreen: boolean): string | null {
    const point = curve[curve.length - 1];
    if (allGreen || point.fraction >= LATE) return null;
    const mine = Math.min(...curve.map((c) => c.loss));
    const first = curve.length === 1;
    const peers = this.curves
      .map((peer) => {
        const before = peer.filter((c) => c.epoch <= point.epoch);
        if (before.length) return Math.min(...before.map((c) => c.loss));
        return first && peer[0].epoch <= point.epoch * FIRST_SLACK ? peer[0].loss : null;
      })
      .filter((loss): loss is number => loss !== null);
    if (peers.length < MIN_PEERS) return null;
    const median = medianOf(peers);
    if (mine <= median + MARGIN) return null;
    return `its best checkpoint by epoch ${point.epoch} (${Math.round(point.fraction * 100)} % of its training) scored ${round(mine)}, more than ${MARGIN} worse than the median ${round(median)} of ${peers.length} earlier attempts by that epoch (lower is better)`;
  }
}

/** Past this share of its training an attempt is not pruned: stopping it would save little. */
const LATE = 0.8;
/** A peer's first checkpoint compares with this one's when it came at most this many times as many epochs later. */
const FIRST_SLACK = 1.5;

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (x: number): number => Number(x.toPrecision(4));
