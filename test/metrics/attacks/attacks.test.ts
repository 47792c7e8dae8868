import { inferenceAttack } from '../../../src/metrics/attacks/inference.js';
import { linkabilityAttack } from '../../../src/metrics/attacks/linkability.js';
import { singlingOutAttack } from '../../../src/metrics/attacks/singling-out.js';
import { takeRows } from '../../../src/core/table.js';
import { population } from '../../helpers/population.js';

const train = population(1200, 1);
const holdout = population(1200, 2);
/** A "generator" that copies its training rows. */
const copy = train;
/** A generator that learnt another population altogether. */
const unrelated = population(1200, 3, { shift: true });
const options = { attacks: 300, seed: 5 };
const LABEL = 3;

describe('attack-based privacy risks on constructed cases', () => {
  it('singling out: high for a copy of the training rows, none for an unrelated population', () => {
    const copied = singlingOutAttack(train, copy, holdout, options);
    expect(copied.main.successes).toBe(copied.main.attacks); // unique in the copy: unique in R
    expect(copied.risk.value).toBeGreaterThan(0.4);
    expect(copied.risk.ci[0]).toBeGreaterThan(0.3);
    const other = singlingOutAttack(train, unrelated, holdout, options);
    expect(other.risk.value).toBeLessThan(0.05);
  });

  it('singling out: no risk from a copy of the holdout (the control rows themselves)', () => {
    const result = singlingOutAttack(train, holdout, holdout, options);
    expect(result.risk.value).toBe(0);
  });

  it('singling out: a holdout of another size is corrected, not mistaken for risk', () => {
    // S is a third sample of the population: no row of R in it, so no risk, even with |H| = |R| / 3.
    const result = singlingOutAttack(train, population(1200, 4), takeRows(holdout, range(400)), options);
    expect(result.details.control_size_correction).not.toBe(1);
    expect(result.risk.ci[0]).toBeLessThan(0.1);
  });

  it('inference: high for a copy, none for an unrelated population', () => {
    const copied = inferenceAttack(train, copy, holdout, LABEL, options);
    expect(copied.main.successes).toBe(300);
    expect(copied.risk.value).toBeGreaterThan(0.5);
    const other = inferenceAttack(train, unrelated, holdout, LABEL, options);
    expect(other.risk.ci[0]).toBe(0);
    expect(other.risk.value).toBeLessThan(0.1);
  });

  it('linkability: the default split is the first half of the columns against the second', () => {
    expect(linkabilityAttack(train, copy, holdout, { attacks: 5, seed: 1 }).details).toEqual({
      columns_a: ['x', 'y'],
      columns_b: ['c', 'label'],
    });
  });

  it('linkability: high for a copy, none for an unrelated population', () => {
    // Each half identifies a row (a continuous column in each): the copy links them.
    const split: [number[], number[]] = [
      [0, 2],
      [1, 3],
    ];
    const copied = linkabilityAttack(train, copy, holdout, { ...options, split });
    expect(copied.risk.value).toBeGreaterThan(0.5);
    expect(copied.details.columns_a).toEqual(['x', 'c']);
    const other = linkabilityAttack(train, unrelated, holdout, { ...options, split });
    expect(other.risk.value).toBeLessThan(0.05);
  });

  it('finds no risk in a fresh sample of the population (the holdout floor)', () => {
    const fresh = population(1200, 6);
    for (const result of [
      singlingOutAttack(train, fresh, holdout, options),
      inferenceAttack(train, fresh, holdout, LABEL, options),
      linkabilityAttack(train, fresh, holdout, options),
    ])
      expect(result.risk.ci[0]).toBeLessThan(0.05);
  });
});

const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
