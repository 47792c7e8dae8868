/**
 * A CSV file's dialect: delimiter, quote, decimal mark and encoding, each given by the user or
 * sniffed from the file (dialect-sniffer.ts), and the words that describe it on the terminal.
 */

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];
export type Quote = '"' | "'";
export type DecimalMark = '.' | ',';
/** latin1 decodes as Windows-1252 (as WHATWG and browsers do): ISO-8859-1 plus € and friends in 0x80-0x9F. */
export type Encoding = 'utf-8' | 'latin1';

/** What the user fixed; the rest is sniffed. */
export interface DialectRequest {
  readonly delimiter?: Delimiter;
  readonly quote?: Quote;
  readonly decimal?: DecimalMark;
  readonly encoding?: Encoding;
}

export interface Dialect {
  readonly delimiter: Delimiter;
  readonly quote: Quote;
  readonly decimal: DecimalMark;
  readonly encoding: Encoding;
  /** The file started with a UTF-8 byte order mark (dropped). */
  readonly bom: boolean;
  /** The parts decided by sniffing rather than a flag. */
  readonly sniffed: readonly ('delimiter' | 'quote' | 'decimal')[];
  /** What the sniffing read: the first rows, or under DP the header alone (the rows' values are private). */
  readonly sniffed_from: 'first rows' | 'header';
}

/** A flag's text as a delimiter: the character itself, or "tab" / "\t" for a tab. */
export function parseDelimiter(text: string): Delimiter | undefined {
  const value = text === 'tab' || text === '\\t' ? '\t' : text;
  return (DELIMITERS as readonly string[]).includes(value) ? (value as Delimiter) : undefined;
}

export const parseQuote = (text: string): Quote | undefined => (text === '"' || text === "'" ? text : undefined);

export const parseDecimal = (text: string): DecimalMark | undefined =>
  text === '.' || text === ',' ? text : undefined;

export function parseEncoding(text: string): Encoding | undefined {
  const name = text.toLowerCase().replace(/[-_]/g, '');
  if (name === 'utf8') return 'utf-8';
  if (['latin1', 'iso88591', 'windows1252', 'cp1252'].includes(name)) return 'latin1';
  return undefined;
}

/** A delimiter, quote or decimal mark as messages (and a shell) write it: tab, or the character in single quotes. */
export const charName = (c: string) => (c === '\t' ? 'tab' : `'${c}'`);

/** One line for the terminal: "data.csv: delimiter ';', quote '"', decimal ',', UTF-8 (sniffed from the first rows)". */
export function describeDialect(name: string, d: Dialect): string {
  const encoding = d.encoding === 'latin1' ? 'Latin-1 (Windows-1252)' : `UTF-8${d.bom ? ' with BOM' : ''}`;
  const parts = d.sniffed.length === 3 ? '' : `${d.sniffed.join(', ')} `;
  const how = d.sniffed.length ? `${parts}sniffed from the ${d.sniffed_from}` : 'as given';
  // Under DP the rows are not read for it: a ';' file's decimal comma needs the option.
  const note =
    d.sniffed_from === 'header' && d.delimiter === ';' && d.sniffed.includes('decimal')
      ? "; under DP the decimal mark is not sniffed: give decimal ',' if the numbers are written 1,5"
      : '';
  return `${name}: delimiter ${charName(d.delimiter)}, quote ${charName(d.quote)}, decimal ${charName(d.decimal)}, ${encoding} (${how}${note})`;
}
