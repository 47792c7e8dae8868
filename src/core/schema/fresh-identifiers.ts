/**
 * Fresh values for an identifier column the user keeps (`--keep-id`): unique, of the same format,
 * and never one of the real values. The generator, documented in the README:
 * - whole-number keys continue after the largest real one when the real keys run in sequence, and
 *   are otherwise drawn with as many digits as the real ones (outside the real set);
 * - text takes the shape of a real value picked at random: each letter becomes a random letter of
 *   the same case and each digit a random digit, other characters stay; an email keeps that shape
 *   in its local part at example.com, a URL goes to example.com, an IP address is drawn from
 *   240.0.0.0/4 (reserved, never routed), a card number gets a valid check digit;
 * - under DP (no value may be read), fixed templates numbered from 1.
 */
import type { Rng } from '../rng.js';
import { isCategorical, type Column } from '../table.js';
import type { IdentifierFinding } from './identifiers.js';

/** Tries per value before a counter is appended to make it unique. */
const TRIES = 20;

/**
 * The fresh values of one column for a file written in chunks: `next(rows)` gives the next rows'
 * values, unique across every call, and the calls together give the values one call for all the
 * rows would (the same draws in the same order). `total` is every row the file will hold: whether
 * whole-number keys continue after the largest real one depends on it. Sequential keys hold
 * nothing between chunks; drawn numbers and text keep the values given so far, to stay unique.
 */
export class FreshIdentifiers {
  private given = 0;
  private readonly numbers: ((rows: number) => number[]) | null;
  private readonly used: Set<string>;
  private readonly templates: string[];
  private readonly seen = new Set<string>();

  constructor(
    private readonly finding: IdentifierFinding,
    real: Column | null,
    total: number,
    private readonly rng: Rng,
  ) {
    this.numbers = real && !isCategorical(real) ? freshNumbers(real.values, total, rng) : null;
    this.used = new Set(real && isCategorical(real) ? real.levels : []);
    this.templates = real && isCategorical(real) ? presentLevels(real) : [];
  }

  next(rows: number): Column {
    const name = this.finding.column;
    if (this.numbers) return { name, kind: 'numeric', values: Float64Array.from(this.numbers(rows)) };
    const { finding, templates, rng, seen, used } = this;
    const make = (n: number): string =>
      templates.length ? fromShape(finding, templates[rng.int(templates.length)], rng) : fromTemplate(finding, n);
    const levels: string[] = [];
    while (levels.length < rows) {
      const n = ++this.given;
      let value = make(n);
      for (let t = 0; t < TRIES && (seen.has(value) || used.has(value)); t++) value = make(n);
      if (seen.has(value) || used.has(value)) value = `${value}-${n}`;
      seen.add(value);
      levels.push(value);
    }
    return { name, kind: 'categorical', codes: Int32Array.from(levels, (_, i) => i), levels };
  }
}

function presentLevels(column: Extract<Column, { kind: 'categorical' }>): string[] {
  const present = new Set<number>();
  for (const code of column.codes) if (code >= 0) present.add(code);
  return [...present].map((code) => column.levels[code]);
}

/** Fresh whole numbers for `total` rows, given a chunk at a time. */
function freshNumbers(values: Float64Array, total: number, rng: Rng): (rows: number) => number[] {
  const present = values.filter((v) => !Number.isNaN(v));
  const real = new Set(present);
  const max = present.length ? present.reduce((a, b) => Math.max(a, b)) : 0;
  const min = present.length ? present.reduce((a, b) => Math.min(a, b)) : 0;
  const sequential = present.length === 0 || max - min + 1 <= 1.1 * real.size;
  const digits = String(Math.trunc(Math.abs(max))).length;
  const [lo, hi] = [10 ** (digits - 1), 10 ** digits - 1];
  let given = 0;
  // Too few numbers of that width left to draw from: continue after the largest instead.
  if (sequential || hi - lo + 1 < 4 * (total + real.size))
    return (rows) => Array.from({ length: rows }, () => max + 1 + given++);
  const out = new Set<number>();
  return (rows) => {
    const fresh: number[] = [];
    while (fresh.length < rows) {
      const value = lo + rng.int(hi - lo + 1);
      if (!real.has(value) && !out.has(value)) {
        out.add(value);
        fresh.push(value);
      }
    }
    return fresh;
  };
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();

/** Each letter a random letter of its case, each digit a random digit; other characters kept. */
function shaped(text: string, rng: Rng): string {
  let out = '';
  for (const ch of text) {
    if (ch >= 'a' && ch <= 'z') out += LOWER[rng.int(26)];
    else if (ch >= 'A' && ch <= 'Z') out += UPPER[rng.int(26)];
    else if (ch >= '0' && ch <= '9') out += String(rng.int(10));
    else out += ch;
  }
  return out;
}

function fromShape(finding: IdentifierFinding, template: string, rng: Rng): string {
  switch (finding.pii) {
    case 'email':
      return `${shaped(template.split('@')[0] || 'user', rng)}@example.com`;
    case 'url':
      return `https://example.com/${shaped(template.replace(/^[a-z]+:\/\/[^/]*\/?/i, '') || 'page', rng)}`;
    case 'ip_address':
      return randomReservedIp(rng);
    case 'card_number':
      return withCheckDigit(shaped(template, rng));
    default:
      return shaped(template, rng);
  }
}

function fromTemplate(finding: IdentifierFinding, n: number): string {
  switch (finding.pii) {
    case 'email':
      return `user${n}@example.com`;
    case 'phone':
      return `+1-555-${String(n).padStart(7, '0')}`;
    case 'national_id':
      return `900-${String(Math.floor(n / 10000) % 100).padStart(2, '0')}-${String(n % 10000).padStart(4, '0')}`;
    case 'ip_address':
      return `240.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
    case 'card_number':
      return withCheckDigit(`400000${String(n).padStart(9, '0')}0`);
    case 'url':
      return `https://example.com/r/${n}`;
    case 'person_name':
      return `Person ${n}`;
    default:
      return String(n);
  }
}

const randomReservedIp = (rng: Rng): string => `${240 + rng.int(16)}.${rng.int(256)}.${rng.int(256)}.${rng.int(256)}`;

/** The digits with their last one replaced by the Luhn check digit (separators kept). */
function withCheckDigit(text: string): string {
  const digits = text.replace(/\D/g, '').slice(0, -1);
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  const check = String((10 - (sum % 10)) % 10);
  const last = text.search(/\d(?=\D*$)/);
  return last < 0 ? text : `${text.slice(0, last)}${check}${text.slice(last + 1)}`;
}
