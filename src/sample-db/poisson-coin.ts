/**
 * The sampling coin drawn in the client: the servers' unseeded samplers (PostgreSQL's TABLESAMPLE
 * BERNOULLI, MySQL's rand()) are not cryptographic, and amplification by sampling rests on nobody
 * predicting the coins. One CSPRNG coin per row, true with probability exactly q (a double is a
 * dyadic rational, compared as one).
 */
import { toFraction } from '../privacy/dyadic.js';
import { bernoulliRatio } from '../privacy/secure-random.js';

export function poissonCoin(q: number): () => boolean {
  const { numerator, denominator } = toFraction(q);
  return () => bernoulliRatio(numerator, denominator);
}
