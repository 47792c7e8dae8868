/** Number formatting for tables and messages. */

export function formatNumber(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '-';
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return value.toLocaleString('en-US');
  return Number(value.toFixed(digits)).toString();
}

export const formatCount = (n: number): string => n.toLocaleString('en-US');

/**
 * A checked value beside its threshold, formatted as the tables do (4 decimals) unless that would
 * show a failing value equal to its threshold: then as many digits as tell them apart.
 */
export function formatAgainst(value: number, threshold: number): string {
  for (let digits = 4; digits <= 15; digits++) {
    const shown = formatNumber(value, digits);
    if (value === threshold || Number(shown.replace(/,/g, '')) !== threshold) return shown;
  }
  return String(value);
}

/** "ks_mean 0.1234 > 0.1": a failing check as messages state it. */
export const describeFailure = (check: {
  readonly metric: string;
  readonly value: number | null;
  readonly op: '<=' | '>=';
  readonly threshold: number;
}): string =>
  check.value === null
    ? `${check.metric} (not evaluated)`
    : `${check.metric} ${formatAgainst(check.value, check.threshold)} ${check.op === '<=' ? '>' : '<'} ${check.threshold}`;
