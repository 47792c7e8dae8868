import { isNumeric, type Column } from '../../core/table.js';
import { correlationRatio, cramersV, pearson } from './association.js';

/** Associations by column pair: corr_delta, the quality score and the report's heatmaps ask for the same pairs of the same tables. */
const known = new WeakMap<Column, WeakMap<Column, number>>();

/**
 * The association SPEC section 3 uses for a column pair: Pearson r (numeric-numeric), Cramer's V
 * (categorical-categorical), correlation ratio eta (categorical-numeric).
 */
export function pairAssociation(a: Column, b: Column): number {
  let withA = known.get(a);
  if (!withA) known.set(a, (withA = new WeakMap()));
  let value = withA.get(b);
  if (value === undefined) withA.set(b, (value = association(a, b)));
  return value;
}

function association(a: Column, b: Column): number {
  if (isNumeric(a))
    return isNumeric(b) ? pearson(a.values, b.values) : correlationRatio(b.codes, b.levels.length, a.values);
  return isNumeric(b)
    ? correlationRatio(a.codes, a.levels.length, b.values)
    : cramersV(a.codes, a.levels.length, b.codes, b.levels.length);
}
