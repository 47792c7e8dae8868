/**
 * The Gaussian noise of DP-SGD, from the secret keystream: Box-Muller on pairs of 53-bit
 * uniforms, u1 in (0, 1] (so the logarithm is finite) and u2 in [0, 1), both of the pair's
 * normals used. The same (key, step, part) gives the same noise on every shard.
 */
import { STREAM, type KeyStream } from './keystream.js';

const TWO_53 = 2 ** 53;

/** Adds N(0, std^2) to each entry of `into`, drawn from the noise stream of (step, part). */
export function addGaussianNoise(stream: KeyStream, step: number, part: number, into: Float32Array, std: number): void {
  if (!(std >= 0 && Number.isFinite(std)))
    throw new Error(`a noise standard deviation must be finite and >= 0, not ${std}`);
  if (std === 0) return;
  const n = into.length;
  const u = stream.uniforms53(STREAM.noise, step, part, n + (n % 2));
  for (let i = 0; i < n; i += 2) {
    const radius = std * Math.sqrt(-2 * Math.log((u[i] + 1) / TWO_53));
    const angle = (2 * Math.PI * u[i + 1]) / TWO_53;
    into[i] += radius * Math.cos(angle);
    if (i + 1 < n) into[i + 1] += radius * Math.sin(angle);
  }
}
