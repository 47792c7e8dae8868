/**
 * Columns that identify a person or a record (SPEC section 9): keys, emails, phone numbers, names,
 * free text. A model would learn them as one category per row and copy them into its output, so
 * they are found before training and never learned. The rules, in order:
 * - the name says personal data (email, phone, national id, IP address, card number, URL, a
 *   person's name); outside DP only where more than half the values are distinct (a yes/no
 *   "telephone" column is no phone number);
 * - outside DP, the values match one of those patterns (90 % of the present values);
 * - outside DP, a text column whose values are nearly all distinct (above 95 % of more than 50
 *   present values); an integer column only when its values are also unique and near-sequential or
 *   its name says id, key or number, so that measurements in small tables are kept;
 * - under DP (values may not be read), a name that says id, key or number.
 */
import { isCategorical, type Column, type Table } from '../table.js';

export const PII_TYPES = ['email', 'phone', 'national_id', 'ip_address', 'card_number', 'url', 'person_name'] as const;
export type PiiType = (typeof PII_TYPES)[number];

export interface IdentifierFinding {
  readonly column: string;
  readonly kind: 'identifier' | 'pii';
  readonly pii?: PiiType;
  /** The rule that matched, in words, for the terminal and the report. */
  readonly rule: string;
}

/** Present values above which a nearly-all-distinct column is an identifier. */
export const IDENTIFIER_MIN_ROWS = 50;
export const IDENTIFIER_DISTINCT_SHARE = 0.95;
/** Share of present values a pattern must match. */
const PATTERN_SHARE = 0.9;

/** Per type: a snake_case name (any case), and a camelCase suffix (case-sensitive, so "relationship" is no "…Ip"). */
const NAME_RULES: readonly [PiiType, RegExp, RegExp | null][] = [
  ['email', /(^|[_\W])e_?mail(_?address)?$/i, /[a-z]E[Mm]ail$/],
  ['phone', /(^|[_\W])(phone|mobile|cell|tel|telephone|fax)(_?(no|number|num))?$/i, /[a-z](Phone|Mobile)$/],
  [
    'national_id',
    /(^|[_\W])(ssn|sin|nin|social_security(_number)?|national_id|passport(_no|_number)?|tax_id|mrn)$/i,
    null,
  ],
  ['ip_address', /(^|[_\W])ip(_?addr(ess)?|v4|v6)?$/i, /[a-z]Ip(Address)?$/],
  ['card_number', /(^|[_\W])(credit_?card|card_?(no|num|number)|ccn|pan|iban)$/i, null],
  ['url', /(^|[_\W])(url|uri|website|homepage|link)$/i, /[a-z]Url$/],
  [
    'person_name',
    /^(first|last|full|given|family|middle|sur|maiden|user|person|customer|patient|employee)?_?name$/i,
    /^[a-z]+(FirstName|LastName|FullName)$/,
  ],
];

const KEY_NAME = /(^|[_\W])(id|ids|key|uuid|guid|number)$/i;
const KEY_CAMEL = /[a-z](Id|ID|Key|Uuid|UUID|Number)$/;
const saysKey = (name: string): boolean => KEY_NAME.test(name) || KEY_CAMEL.test(name);

/** Outside DP a name alone is not enough where the values say otherwise: a yes/no "telephone" is no phone number. */
const NAME_DISTINCT_SHARE = 0.5;

const VALUE_RULES: readonly [PiiType, (text: string) => boolean][] = [
  ['email', (t) => /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/i.test(t)],
  ['url', (t) => /^(https?|ftp):\/\/\S+$/i.test(t)],
  ['ip_address', (t) => isIpv4(t) || /^[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}$/i.test(t)],
  ['national_id', (t) => /^\d{3}-\d{2}-\d{4}$/.test(t)],
  ['card_number', (t) => /^(\d[ -]?){12,18}\d$/.test(t) && luhn(t.replace(/\D/g, ''))],
  ['phone', (t) => /^\+?[\d\s().-]{7,20}$/.test(t) && (t.match(/\d/g) ?? []).length >= 7 && /[\s().+-]/.test(t)],
];

function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Which columns identify someone; `readValues` false (under DP): by their names alone. */
export function detectIdentifiers(table: Table, readValues: boolean): IdentifierFinding[] {
  return table.columns.flatMap((column) => {
    const named = byName(column.name);
    const finding = readValues
      ? ((named && manyDistinct(column) ? named : null) ?? byValues(column))
      : (named ?? byKeyName(column.name));
    return finding ? [finding] : [];
  });
}

function byName(name: string): IdentifierFinding | null {
  const rule = NAME_RULES.find(([, snake, camel]) => snake.test(name) || camel?.test(name));
  return rule ? { column: name, kind: 'pii', pii: rule[0], rule: `its name reads as ${words(rule[0])}` } : null;
}

function byKeyName(name: string): IdentifierFinding | null {
  return saysKey(name) ? { column: name, kind: 'identifier', rule: 'its name says id, key or number' } : null;
}

/** More than half of the present values distinct. */
function manyDistinct(column: Column): boolean {
  if (isCategorical(column)) {
    const present = column.codes.filter((c) => c >= 0);
    return new Set(present).size > NAME_DISTINCT_SHARE * present.length;
  }
  const present = column.values.filter((v) => !Number.isNaN(v));
  return new Set(present).size > NAME_DISTINCT_SHARE * present.length;
}

const words = (type: PiiType): string => type.replace('_', ' ');

function byValues(column: Column): IdentifierFinding | null {
  if (isCategorical(column)) {
    const counts = new Map<number, number>();
    for (const code of column.codes) if (code >= 0) counts.set(code, (counts.get(code) ?? 0) + 1);
    const present = [...counts.values()].reduce((a, b) => a + b, 0);
    if (!present) return null;
    const values = [...counts.keys()].map((code) => column.levels[code]);
    for (const [type, matches] of VALUE_RULES) {
      const matching = [...counts]
        .filter(([code]) => matches(column.levels[code].trim()))
        .reduce((n, [, c]) => n + c, 0);
      if (matching >= PATTERN_SHARE * present)
        return {
          column: column.name,
          kind: 'pii',
          pii: type,
          rule: `${percent(matching / present)} of its values look like ${words(type)}s`,
        };
    }
    return nearlyAllDistinct(column.name, values.length, present);
  }
  if (column.kind === 'datetime') return null;
  const present = column.values.filter((v) => !Number.isNaN(v));
  if (!present.every(Number.isInteger)) return null;
  const distinct = new Set(present).size;
  const unique = nearlyAllDistinct(column.name, distinct, present.length);
  if (!unique) return null;
  if (saysKey(column.name)) return { ...unique, rule: `${unique.rule}, and its name says id, key or number` };
  const min = present.reduce((a, b) => Math.min(a, b));
  const max = present.reduce((a, b) => Math.max(a, b));
  // Near-sequential: the values fill most of the range they span (a row counter, an auto-increment key).
  if (max - min + 1 <= 1.1 * distinct)
    return { ...unique, rule: `${unique.rule}, and they run nearly in sequence (${min} to ${max})` };
  return null;
}

function nearlyAllDistinct(name: string, distinct: number, present: number): IdentifierFinding | null {
  if (present <= IDENTIFIER_MIN_ROWS || distinct <= IDENTIFIER_DISTINCT_SHARE * present) return null;
  return {
    column: name,
    kind: 'identifier',
    rule: `${distinct} distinct values in ${present} rows (above ${IDENTIFIER_DISTINCT_SHARE * 100} % of more than ${IDENTIFIER_MIN_ROWS})`,
  };
}

const percent = (share: number): string => `${Math.round(share * 1000) / 10} %`;
