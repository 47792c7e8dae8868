/** Starting weights. */
import type { Rng } from '../../core/rng.js';
import { paramBlocks, weightCount, type NetSpec } from './spec.js';

/**
 * PyTorch's defaults, seeded, in the spec's flat layout: nn.Linear's kernel and bias uniform in
 * +-1/sqrt(fan_in), nn.BatchNorm1d's gamma 1 and beta 0.
 */
export function initialNetWeights(spec: NetSpec, rng: Rng): Float32Array {
  const flat = new Float32Array(weightCount(spec));
  for (const block of paramBlocks(spec)) {
    if (block.op === 'batch_norm') {
      flat.fill(1, block.offset, block.offset + block.cols);
      continue;
    }
    const bound = 1 / Math.sqrt(block.rows);
    const end = block.offset + (block.rows + 1) * block.cols;
    for (let at = block.offset; at < end; at++) flat[at] = (2 * rng.next() - 1) * bound;
  }
  return flat;
}
