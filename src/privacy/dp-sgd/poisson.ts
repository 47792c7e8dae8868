/**
 * Poisson sampling for DP-SGD (the sampling the RDP accountant assumes): at each step every
 * training row joins the batch independently with probability q, so batch sizes vary and an
 * empty batch is possible. Each row's coin is the first 53-bit uniform of its own keyed sequence
 * for (sampling, step) (row-prf.ts), compared exactly with q * 2^53, so it lands with probability
 * q to within 2^-53, and does not change when another row is added or removed.
 */
import { STREAM } from './keystream.js';
import type { RowPrf } from './row-prf.js';

/** The rows (ascending) in step `step`'s batch at sample rate `q`: one coin per row `prf` knows. */
export function poissonBatch(prf: RowPrf, step: number, q: number): Int32Array {
  if (!(q > 0 && q <= 1)) throw new Error(`a sample rate must lie in (0, 1], not ${q}`);
  const threshold = q * 2 ** 53;
  const coins = prf.firstOfEveryRow(STREAM.sampling, step);
  let size = 0;
  for (let r = 0; r < coins.length; r++) if (coins[r] < threshold) size++;
  const batch = new Int32Array(size);
  size = 0;
  for (let r = 0; r < coins.length; r++) if (coins[r] < threshold) batch[size++] = r;
  return batch;
}
