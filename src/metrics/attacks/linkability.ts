/**
 * Linkability (Giomi et al. 2022, section 3.2): the attacker holds a target's columns in two
 * separate sets A and B (two datasets of one person) and links them through the synthetic rows:
 * the link succeeds when the synthetic row nearest on A is also the one nearest on B. Main
 * attack on training rows, control on holdout rows. The default split is the first half of the
 * columns against the second half, in table order.
 */
import type { Table } from '../../core/table.js';
import { attackResult, attackRng, targetRows, type AttackOptions, type AttackResult } from './attack-result.js';
import { neighbourSearch } from './attack-space.js';

export function linkabilityAttack(
  train: Table,
  synthetic: Table,
  holdout: Table,
  options: AttackOptions & { readonly split?: readonly [number[], number[]] },
): AttackResult {
  const all = train.columns.map((_, i) => i);
  const half = Math.ceil(all.length / 2);
  const [a, b] = options.split ?? [all.slice(0, half), all.slice(half)];
  const searchA = neighbourSearch(train, synthetic, a);
  const searchB = neighbourSearch(train, synthetic, b);
  const targets = targetRows(train.rowCount, holdout.rowCount, options.attacks, attackRng(options.seed, 0x4c494e4b));
  const successes = (table: Table, rows: Int32Array): number => {
    let hits = 0;
    for (const r of rows) if (searchA.nearest(table, r) === searchB.nearest(table, r)) hits++;
    return hits;
  };
  return attackResult(targets.main.length, successes(train, targets.main), successes(holdout, targets.control), {
    columns_a: a.map((i) => train.columns[i].name),
    columns_b: b.map((i) => train.columns[i].name),
  });
}
