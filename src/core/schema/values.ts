/** How a single text value reads: a number, a missing marker, an infinity, an ISO date. */

const NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const INFINITY = /^\s*[+-]?(?:inf|infinity)\s*$/i;
/** Markers that mean "missing" in a column whose other values are numbers (pandas, R, SQL exports). */
const MISSING_MARKERS = new Set(['na', 'nan', 'null', 'none', 'n/a', '#n/a', '?']);
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

export const isNumberText = (text: string): boolean => NUMBER.test(text);
/** 'inf', '-Infinity', and a literal too large for a double ('1e400'), which JavaScript reads as Infinity. */
export const isInfinityText = (text: string): boolean =>
  INFINITY.test(text) || (NUMBER.test(text) && !Number.isFinite(Number(text)));

/**
 * The one reader of a number written as text (table cells, flags, name=value pairs): a decimal
 * literal whose value is finite, or undefined. Number() alone would take '', ' ', '0x10' and '1e400'.
 */
export function parseFiniteNumber(text: string): number | undefined {
  if (!NUMBER.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
export const isMissingMarker = (text: string): boolean => MISSING_MARKERS.has(text.trim().toLowerCase());

/** Seconds since 1970-01-01T00:00:00Z for an ISO 8601 date or date-time (UTC unless it names an offset); NaN otherwise. */
export function parseIsoDate(text: string): number {
  const m = ISO_DATE.exec(text.trim());
  if (!m) return NaN;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(
    Number,
  );
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return NaN;
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(millis).getUTCDate() !== day) return NaN; // 2021-02-30 and the like
  const fraction = m[7] ? Number(m[7]) : 0;
  return millis / 1000 + fraction - offsetSeconds(m[8]);
}

function offsetSeconds(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4)) * 60);
}

/** "1.0", "01" and "1e0" name the same number, so integer-coded categories compare as numbers. */
export const canonicalNumberText = (text: string): string => String(Number(text));
