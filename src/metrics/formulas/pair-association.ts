import { isNumeric, type Column } from '../../core/table.js';
import { correlationRatio, cramersV, pearson } from './association.js';

/**
 * The association SPEC section 3 uses for a column pair: Pearson r (numeric-numeric), Cramer's V
 * (categorical-categorical), correlation ratio eta (categorical-numeric).
 */
export function pairAssociation(a: Column, b: Column): number {
  if (isNumeric(a))
    return isNumeric(b) ? pearson(a.values, b.values) : correlationRatio(b.codes, b.levels.length, a.values);
  return isNumeric(b)
    ? correlationRatio(a.codes, a.levels.length, b.values)
    : cramersV(a.codes, a.levels.length, b.codes, b.levels.length);
}
