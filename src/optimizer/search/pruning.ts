/**
 * Multi-fidelity for the search: the early-stop checkpoints score partial training, and an
 * attempt whose checkpoint is worse than the median of the earlier attempts' after as many epochs
 * (each one's latest checkpoint at or before that epoch: epochs are the resource, as in
 * Hyperband; a first checkpoint compares with the others' first ones, each at its attempt's
 * smallest resource, as the lowest rung of successive halving) stops there (the median rule, Optuna's default pruner, with a margin), so that a time
 * budget buys more configurations than full runs would. A green checkpoint is never pruned, nor an
 * attempt with fewer than two earlier ones to compare with.
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
/** How much worse than the median (in quality points; a failing check costs 20) a checkpoint must be: near-ties go on. */
const MARGIN = 2;

export class MedianPruner {
  private readonly curves: CurvePoint[][] = [];

  /** An attempt's checkpoints, once it has ended (pruned or not). */
  record(curve: readonly CurvePoint[]): void {
    if (curve.length) this.curves.push([...curve].sort((a, b) => a.epoch - b.epoch));
  }

  /** Why an attempt at this checkpoint (`first`: its first one) should stop, or null to go on. */
  verdict(point: CurvePoint, allGreen: boolean, first: boolean): string | null {
    if (allGreen) return null;
    const peers = this.curves
      .map((curve) => (first ? curve[0] : curve.filter((c) => c.epoch <= point.epoch).at(-1)))
      .filter((c): c is CurvePoint => c !== undefined)
      .map((c) => c.loss);
    if (peers.length < MIN_PEERS) return null;
    const median = medianOf(peers);
    if (point.loss <= median + MARGIN) return null;
    const where = first ? 'at their first checkpoints' : 'by that epoch';
    return `its checkpoint at epoch ${point.epoch} (${Math.round(point.fraction * 100)} % of its training) scored ${round(point.loss)}, more than ${MARGIN} worse than the median ${round(median)} of ${peers.length} earlier attempts ${where} (lower is better)`;
  }
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (x: number): number => Number(x.toPrecision(4));
