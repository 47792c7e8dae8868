/**
 * Each training row's identity, which DP-SGD keys the row's randomness with (row-prf.ts): 96 bits
 * read from the row's own content and from how many identical rows come before it, so adding or
 * removing one row moves no other row's identity. Rows D and D + x then share every pair (row,
 * randomness) but x's: a copy y' of a row y that is inserted before it takes y's old identity and
 * y the next one, which as a multiset is D's pairs plus one.
 *
 * The identity is SHA-256 of the row's canonical bytes (its values in column order: a number as
 * its float64, NaN and -0 made canonical; a category as its level's text, so level codes never
 * matter; a missing category as a marker), its first 96 bits, with the occurrence index XORed into
 * the last word. Copies are counted by the whole digest. Two different rows meet only if 96 bits of
 * their digests do (about n^2 / 2^97 over a table): they would then share their draws, which costs
 * the mechanism nothing but the independence of those two rows' coins.
 */
import { createHash } from 'node:crypto';
import type { Table } from '../../core/table.js';

/** Words per identity. */
export const ID_WORDS = 3;

const NUMBER = 1;
const LEVEL = 2;
const MISSING = 3;

/** The identities of `table`'s rows, ID_WORDS words per row in row order. */
export function rowIdentities(table: Table): Uint32Array {
  const rows = table.rowCount;
  const encoders = table.columns.map((column) => {
    if (column.kind !== 'categorical') return null;
    return column.levels.map((level) => {
      const text = Buffer.from(level, 'utf8');
      const bytes = Buffer.alloc(5 + text.length);
      bytes[0] = LEVEL;
      bytes.writeUInt32LE(text.length, 1);
      text.copy(bytes, 5);
      return bytes;
    });
  });
  const widest = table.columns.reduce((sum, column, c) => {
    const levels = encoders[c];
    return sum + (levels ? Math.max(1, ...levels.map((b) => b.length)) : 9);
  }, 0);
  const row = Buffer.alloc(widest);
  const seen = new Map<string, number>();
  const ids = new Uint32Array(rows * ID_WORDS);
  for (let r = 0; r < rows; r++) {
    let length = 0;
    table.columns.forEach((column, c) => {
      if (column.kind === 'categorical') {
        const code = column.codes[r];
        if (code < 0) row[length++] = MISSING;
        else length += encoders[c]![code].copy(row, length);
        return;
      }
      const v = column.values[r];
      row[length] = NUMBER;
      // One NaN and one zero: values equal as data are equal as bytes.
      row.writeDoubleLE(Number.isNaN(v) ? NaN : v === 0 ? 0 : v, length + 1);
      length += 9;
    });
    const digest = createHash('sha256').update(row.subarray(0, length)).digest();
    const name = digest.toString('base64');
    const occurrence = seen.get(name) ?? 0;
    seen.set(name, occurrence + 1);
    ids[r * ID_WORDS] = digest.readUInt32BE(0);
    ids[r * ID_WORDS + 1] = digest.readUInt32BE(4);
    ids[r * ID_WORDS + 2] = (digest.readUInt32BE(8) ^ occurrence) >>> 0;
  }
  return ids;
}
