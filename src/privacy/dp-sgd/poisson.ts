/**
 * Poisson sampling for DP-SGD (the sampling the RDP accountant assumes): at each step every
 * training row joins the batch independently with probability q, so batch sizes vary and an
 * empty batch is possible. Each row's coin is a 53-bit uniform integer of the secret keystream
 * compared exactly with q * 2^53, so it lands with probability q to within 2^-53.
 */
import { STREAM, type KeyStream } from './keystream.js';

/** The rows (ascending) in step `step`'s batch of `rows` rows at sample rate `q`. */
export function poissonBatch(stream: KeyStream, step: number, rows: number, q: number): Int32Array {
  if (!(q > 0 && q <= 1)) throw new Error(`a sample rate must lie in (0, 1], not ${q}`);
  const threshold = q * 2 ** 53;
  const coins = stream.uniforms53(STREAM.sampling, step, 0, rows);
  const batch = new Int32Array(rows);
  let size = 0;
  for (let r = 0; r < rows; r++) if (coins[r] < threshold) batch[size++] = r;
  return batch.subarray(0, size);
}
