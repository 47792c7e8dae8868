/** The most training threads worth starting on this machine: the CLI's default, and what --threads auto chooses below. */
import { availableParallelism } from 'node:os';

/** Data-parallel shards split each batch; past 4 the slices get too thin to pay for the exchange. */
const MOST_USEFUL_THREADS = 4;

export const usefulThreads = (): number => Math.min(availableParallelism(), MOST_USEFUL_THREADS);
