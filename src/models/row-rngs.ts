/**
 * Where the draws that belong to one row come from: one seeded stream that every row takes from
 * in the order the code visits them (ordinary training: the seed repeats the run), or each row
 * its own (DP-SGD: keyed by the row's identity, so no row's draws move when another is added).
 */
import type { Rng } from '../core/rng.js';

export type RowRngs = Rng | ((row: number) => Rng);

/** Row i's stream: its own, or the shared one. */
export const rngOfRow = (draws: RowRngs): ((row: number) => Rng) => (typeof draws === 'function' ? draws : () => draws);
