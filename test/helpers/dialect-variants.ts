/** The shipped penguins rows rewritten in other CSV dialects, to check that each reads as the comma file does. */
import { readFileSync } from 'node:fs';
import { ROOT } from './cli.js';

export const PENGUINS = `${ROOT}fixtures/penguins/penguins.csv`;

/** The fixture's rows as fields (it holds no quotes, so a split on commas is exact). */
const rows = (): string[][] =>
  readFileSync(PENGUINS, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => line.split(','));

/** The rows joined with `delimiter`; with `decimalComma`, every decimal point between digits becomes a comma. */
export function penguinsAs(delimiter: string, options: { decimalComma?: boolean; crlf?: boolean } = {}): string {
  const cell = (text: string) => (options.decimalComma ? text.replace(/^(-?\d+)\.(\d+)$/, '$1,$2') : text);
  const eol = options.crlf ? '\r\n' : '\n';
  return rows()
    .map((fields) => fields.map(cell).join(delimiter))
    .join(eol)
    .concat(eol);
}
