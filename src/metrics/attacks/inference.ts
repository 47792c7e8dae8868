/**
 * Attribute inference (Giomi et al. 2022, section 3.3): the attacker knows every column of a
 * target row but the secret one, finds the nearest synthetic row on those columns and guesses
 * its secret. Main attack on training rows, control on holdout rows. A guess of a numeric
 * secret succeeds within 5 % of the true value (Anonymeter's default tolerance), a categorical
 * one when equal; a missing secret is guessed right by a missing one.
 */
import { isNumeric, type Table } from '../../core/table.js';
import { attackResult, attackRng, targetRows, type AttackOptions, type AttackResult } from './attack-result.js';
import { neighbourSearch } from './attack-space.js';

export const NUMERIC_TOLERANCE = 0.05;

export function inferenceAttack(
  train: Table,
  synthetic: Table,
  holdout: Table,
  secret: number,
  options: AttackOptions,
): AttackResult {
  const known = train.columns.map((_, i) => i).filter((i) => i !== secret);
  const search = neighbourSearch(train, synthetic, known);
  const targets = targetRows(train.rowCount, holdout.rowCount, options.attacks, attackRng(options.seed, 0x494e4645));
  const successes = (table: Table, rows: Int32Array): number => {
    let hits = 0;
    for (const r of rows) if (guessedRight(table, r, synthetic, search.nearest(table, r), secret)) hits++;
    return hits;
  };
  return attackResult(targets.main.length, successes(train, targets.main), successes(holdout, targets.control), {
    secret: train.columns[secret].name,
  });
}

function guessedRight(table: Table, r: number, synthetic: Table, s: number, secret: number): boolean {
  const truth = table.columns[secret];
  const guess = synthetic.columns[secret];
  if (isNumeric(truth) && isNumeric(guess)) {
    const x = truth.values[r];
    const y = guess.values[s];
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
    return Math.abs(x - y) <= NUMERIC_TOLERANCE * Math.abs(x);
  }
  if (!isNumeric(truth) && !isNumeric(guess)) return truth.codes[r] === guess.codes[s];
  return false;
}
