/**
 * Training-by-sampling's other half (the reference's DataSampler.sample_data): for each discrete
 * column and category, the training rows that hold it, so the real rows a discriminator step sees
 * match the conditional vectors the generator was given.
 */
import type { Rng } from '../../core/rng.js';
import type { DiscreteSpan } from './spans.js';

export class RowsByCategory {
  /** rows[j][k]: the training rows whose discrete column j is category k. */
  private readonly rows: Int32Array[][];

  /** `data`: the encoded training rows, [rowCount, width] row-major, each discrete span one-hot. */
  constructor(data: Float32Array, rowCount: number, width: number, discrete: readonly DiscreteSpan[]) {
    this.rows = discrete.map((span) => {
      const lists: number[][] = Array.from({ length: span.size }, () => []);
      for (let r = 0; r < rowCount; r++) {
        const at = r * width + span.offset;
        for (let k = 0; k < span.size; k++) {
          if (data[at + k] > 0.5) {
            lists[k].push(r);
            break;
          }
        }
      }
      return lists.map((list) => Int32Array.from(list));
    });
  }

  /** Rows per category of each discrete column: what the conditional vectors draw from. */
  counts(): number[][] {
    return this.rows.map((lists) => lists.map((list) => list.length));
  }

  /** A uniformly chosen training row holding category `category` of discrete column `column`. */
  pick(column: number, category: number, rng: Rng): number {
    const list = this.rows[column][category];
    if (list.length === 0) throw new Error(`no training row holds category ${category} of discrete column ${column}`);
    return list[rng.int(list.length)];
  }
}
