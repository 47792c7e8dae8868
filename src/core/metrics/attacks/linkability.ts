/**
 * Linkability (Giomi et al. 2022, section 3.2): the attacker holds a target's columns in two
 * separate sets A and B (two datasets of one person) and links them through the synthetic rows:
 * the link succeeds when the synthetic row nearest on A is also the one nearest on B. Main
 * attack on training rows, control on holdout rows. The default split is the first half of the
 * columns against the second half, in table order.
 */
import type { Table } from '../../table.js';
import { attackResult, attackRng, targetRows, type AttackOptions, type AttackResult } from './attack-result.js';
import { attackColumns, nearestRow } from './attack-space.js';

export function linkabilityAttack(
  train: Table,
  synthetic: Table,
  holdout: Table,
  options: AttackOptions & { readonly split?: readonly [number[], number[]] },
): AttackResult {
  const all = train.columns.map((_, i) => i);
  const half = Math.ceil(all.length / 2);
  const [a, b] = options.split ?? [all.slice(0, half), all.slice(half)];
  const spaceA = attackColumns(train, a);
  const spaceB = attackColumns(train, b);
  const targets = targetRows(train.rowCount, holdout.rowCount, options.attacks, attackRng(options.seed, 0x4c494e4b));
  const successes = (table: Table, rows: Int32Array): number => {
    let hits = 0;
    const scratch = new Float64Array(synthetic.rowCount);
    for (const r of rows)
      if (nearestRow(spaceA, table, r, synthetic, scratch) === nearestRow(spaceB, table, r, synthetic, scratch)) hits++;
    return hits;
  };
  return attackResult(targets.main.length, successes(train, targets.main), successes(holdout, targets.control), {
    columns_a: a.map((i) => train.columns[i].name),
    columns_b: b.map((i) => train.columns[i].name),
  });
}
