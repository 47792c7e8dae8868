/**
 * The delimiter, quote and decimal mark of a CSV file from its first 64 KiB (at most 50 records),
 * for whatever the user did not give. A delimiter qualifies when the header splits on it into two or
 * more fields and every record read splits into as many; the one giving most fields wins (ties in the
 * order , ; tab |). When none qualifies the file is read with commas, unless its header holds ';',
 * tab or '|': such a file is refused rather than read as one column of whole lines.
 */
import { optionError } from '../errors.js';
import { CsvScanner } from './csv-scanner.js';
import { DECIMAL_COMMA } from './number-marks.js';
import { charName, DELIMITERS, type Delimiter, type Dialect, type DialectRequest, type Quote } from './dialect.js';

export const SNIFF_CHARS = 64 * 1024;
const SNIFF_RECORDS = 50;

export interface SniffInput {
  /** The file's name, for messages. */
  readonly name: string;
  /** The first SNIFF_CHARS characters, or the whole text when it is shorter. */
  readonly head: string;
  /** The head is the whole file, so its last record is complete. */
  readonly complete: boolean;
  /** Under DP: read the header alone, never the rows' values (SPEC section 8). */
  readonly headerOnly?: boolean;
}

export type SniffedDialect = Omit<Dialect, 'encoding' | 'bom'>;

export function sniffDialect(input: SniffInput, request: DialectRequest = {}): SniffedDialect {
  const sniffed: ('delimiter' | 'quote' | 'decimal')[] = [];
  const text = input.headerOnly ? firstLine(input.head) : input.head;
  const complete = input.complete || Boolean(input.headerOnly);
  const limit = input.headerOnly ? 1 : SNIFF_RECORDS + 1;

  const quote = request.quote ?? sniffQuote(text);
  let delimiter = request.delimiter;
  let records: HeadRecord[] | undefined;
  if (delimiter) records = headRecords(text, delimiter, quote, complete, limit);
  else {
    let width = 1;
    for (const candidate of DELIMITERS) {
      const read = headRecords(text, candidate, quote, complete, limit);
      const w = read?.[0]?.fields.length ?? 0;
      if (read && w > width && read.every((r) => r.fields.length === w))
        [delimiter, records, width] = [candidate, read, w];
    }
    if (!delimiter) {
      refuseOneColumn(input.name, text, quote, complete, limit);
      delimiter = ',';
      records = headRecords(text, ',', quote, complete, limit);
    }
    sniffed.push('delimiter');
  }
  if (!request.quote) sniffed.push('quote');

  let decimal = request.decimal;
  if (!decimal) {
    // Only ';' files: there a comma between digits is a decimal mark (it is why the file is not comma-separated).
    const rows = input.headerOnly ? [] : (records ?? []).slice(1);
    decimal = delimiter === ';' && rows.some((r) => r.fields.some((cell) => DECIMAL_COMMA.test(cell))) ? ',' : '.';
    sniffed.push('decimal');
  }
  return { delimiter, quote, decimal, sniffed, sniffed_from: input.headerOnly ? 'header' : 'first rows' };
}

/** ' only when some field is quoted with it and none with ". */
function sniffQuote(text: string): Quote {
  const quoted = (q: string) => new RegExp(`(?:^|[,;\\t|])${q}[^${q}\\r\\n]*${q}(?=[,;\\t|\\r\\n]|$)`, 'm');
  return quoted("'").test(text) && !quoted('"').test(text) ? "'" : '"';
}

/** The header line (a header with a line break inside quotes is too rare to scan for). */
function firstLine(text: string): string {
  const end = text.search(/[\r\n]/);
  return end < 0 ? text : text.slice(0, end);
}

class Enough {}

interface HeadRecord {
  readonly fields: string[];
  readonly line: number;
}

/** The first `limit` records split on `delimiter` (without an incomplete last one), or undefined when they do not scan. */
function headRecords(
  text: string,
  delimiter: Delimiter,
  quote: Quote,
  complete: boolean,
  limit: number,
): HeadRecord[] | undefined {
  const records: HeadRecord[] = [];
  const collect = (fields: string[], line: number) => {
    records.push({ fields: [...fields], line });
    if (records.length >= limit) throw new Enough();
  };
  const scanner = new CsvScanner('', collect, { delimiter, quote });
  try {
    scanner.push(text);
    if (complete) scanner.end();
  } catch (error) {
    if (!(error instanceof Enough)) return undefined;
  }
  return records;
}

const OTHER_DELIMITERS: Delimiter[] = [';', '\t', '|'];

/** A header that splits on ';', tab or '|' while its rows do not: refused, naming the first line that differs. */
function refuseOneColumn(name: string, text: string, quote: Quote, complete: boolean, limit: number): void {
  const header = firstLine(text);
  let held: { d: Delimiter; records: HeadRecord[] | undefined; width: number } | undefined;
  for (const d of OTHER_DELIMITERS) {
    // Split alone, so that a ';' inside a quoted column name does not count.
    const width = headRecords(header, d, quote, true, 1)?.[0]?.fields.length ?? 1;
    if (width > (held?.width ?? 1)) held = { d, records: headRecords(text, d, quote, complete, limit), width };
  }
  if (!held) return;
  const { d, records, width } = held;
  const odd = records?.find((r) => r.fields.length !== width);
  const detail = odd
    ? `, but split on it line ${odd.line} has ${odd.fields.length} fields and the header ${width}`
    : ', but its first rows do not scan when split on it';
  throw optionError(
    'input',
    'delimiter',
    `${name}: the header holds ${charName(d)}${detail}; read with commas it would be one column`,
    `Give {delimiter} ${charName(d)} (a row with a field too many or too few is then named), or {delimiter} , to read it as one column.`,
  );
}
