/** What a model asks of a network, whichever backend runs it (fused-net.ts, tfjs-net.ts). */
import type { NetInputs, NetSpec } from './spec.js';

export interface LossGradient {
  readonly loss: number;
  /** d loss / d output, [rows, output width]. */
  readonly gradient: Float32Array;
}

/** Computes the loss and its gradient from the network's output [rows, output width]. */
export type LossOf = (output: Float32Array, rows: number) => LossGradient;

export interface GradientOptions {
  /**
   * Defer the weight gradient: each row is one example, and `exampleNorms` then gives the
   * squared norm of each row's own weight gradient, `accumulate` the sum of rows weighted by a
   * scale per row (DP-SGD's clipping). Refused for networks whose rows are not examples.
   */
  readonly perExample?: boolean;
}

export interface PenaltyOptions {
  /**
   * Join the perExample gradient pass just before it, over the same rows: row r's penalty term
   * (||g_r|| - 1)^2, times `weight` and not averaged, adds to row r's own weight gradient, so
   * `exampleNorms` and `accumulate` see each row's whole gradient (DP-SGD for a WGAN-GP critic).
   */
  readonly perExample?: boolean;
  /** Multiplies the penalty and its gradient (lambda); default 1. */
  readonly weight?: number;
}

/**
 * What seeds a pass's dropout masks and Gumbel noise: one seed for the whole batch, or one per row
 * (DP-SGD: each row's masks are its own, whichever rows share its batch; fused engine only).
 */
export type Seeds = number | Uint32Array;

export interface Net {
  readonly spec: NetSpec;
  /** Copies flat weights (the spec's layout) into the network. */
  setWeights(flat: Float32Array): void;
  /** The output rows for `inputs`, dropout off (`seed` draws a head's Gumbel noise); valid until the next call. */
  forward(inputs: NetInputs, seed?: Seeds): Float32Array;
  /**
   * One training pass: forward (dropout and Gumbel noise seeded by `seed`), the loss gradient from
   * `lossOf`, backward; writes d loss / d weights into `into` (the spec's layout) and returns the loss.
   */
  gradient(inputs: NetInputs, seed: Seeds, lossOf: LossOf, into: Float32Array, options?: GradientOptions): number;
  /** After a perExample gradient pass: each row's squared weight-gradient norm. */
  exampleNorms(): Float64Array;
  /** After a perExample gradient pass: writes sum_r scale[r] g_r into `into` (the spec's layout). */
  accumulate(scale: Float32Array, into: Float32Array): void;
  /** After a gradient pass: d loss / d the input `name` (marked `gradient` in the spec), [rows, width]. */
  inputGradient(name: string): Float32Array;
  /**
   * WGAN-GP's penalty mean_r (||d out_r / d x_r|| - 1)^2 at `inputs` (dropout seeded by `seed`),
   * x the input marked `gradient`; writes its gradient w.r.t. the weights into `into` (with
   * perExample: defers it, and returns weight * the sum over rows instead of the mean).
   */
  gradientPenalty(inputs: NetInputs, seed: Seeds, into: Float32Array, options?: PenaltyOptions): number;
  dispose(): void;
}

/** Rows of each node for these inputs. */
export function nodeRows(spec: NetSpec, widths: readonly number[], inputs: NetInputs): number[] {
  const rows: number[] = [];
  spec.nodes.forEach((node, i) => {
    if (node.op === 'input' || node.op === 'index') {
      const data = inputs[node.name];
      if (!data) throw new Error(`the network's input '${node.name}' was not given`);
      const width = node.op === 'input' ? widths[i] : 1;
      if (data.length % width)
        throw new Error(`input '${node.name}' holds ${data.length} values, not rows of ${width}`);
      rows.push(data.length / width);
    } else if (node.op === 'gather') {
      // Both runners check the indices here, before any work: an index outside the table is an error, never a wrong row.
      const index = inputs[(spec.nodes[node.index] as { name: string }).name];
      const limit = rows[node.from];
      for (const v of index) {
        if (!(Number.isInteger(v) && v >= 0 && v < limit))
          throw new Error(`network node ${i} gathers row ${v} of a table of ${limit} rows`);
      }
      rows.push(rows[node.index]);
    } else if (node.op === 'add' || node.op === 'concat') {
      const counts = node.from.map((f) => rows[f]);
      if (counts.some((n) => n !== counts[0]))
        throw new Error(`network node ${i} combines nodes of ${counts.join(', ')} rows`);
      rows.push(counts[0]);
    } else rows.push(rows[node.from]);
  });
  return rows;
}
