/** What a model asks of a network, whichever backend runs it (fused-net.ts, tfjs-net.ts). */
import type { NetInputs, NetSpec } from './spec.js';

export interface LossGradient {
  readonly loss: number;
  /** d loss / d output, [rows, output width]. */
  readonly gradient: Float32Array;
}

/** Computes the loss and its gradient from the network's output [rows, output width]. */
export type LossOf = (output: Float32Array, rows: number) => LossGradient;

export interface Net {
  readonly spec: NetSpec;
  /** Copies flat weights (the spec's layout) into the network. */
  setWeights(flat: Float32Array): void;
  /** The output rows for `inputs`, dropout off (`seed` draws a head's Gumbel noise); valid until the next call. */
  forward(inputs: NetInputs, seed?: number): Float32Array;
  /**
   * One training pass: forward (dropout and Gumbel noise seeded by `seed`), the loss gradient from
   * `lossOf`, backward; writes d loss / d weights into `into` (the spec's layout) and returns the loss.
   */
  gradient(inputs: NetInputs, seed: number, lossOf: LossOf, into: Float32Array): number;
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
    } else if (node.op === 'add') {
      if (rows[node.from[0]] !== rows[node.from[1]])
        throw new Error(`network node ${i} adds ${rows[node.from[0]]} rows to ${rows[node.from[1]]}`);
      rows.push(rows[node.from[0]]);
    } else rows.push(rows[node.from]);
  });
  return rows;
}
