/** Number formatting for tables and messages. */

export function formatNumber(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '-';
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return value.toLocaleString('en-US');
  return Number(value.toFixed(digits)).toString();
}

export const formatCount = (n: number): string => n.toLocaleString('en-US');
