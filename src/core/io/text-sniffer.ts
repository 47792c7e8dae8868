/**
 * Catches a table file that is not text before the CSV scanner sees it: a spreadsheet workbook (by
 * its signature), UTF-16 (by its byte order mark, or the NUL byte beside each ASCII character) and
 * binary content (NUL bytes elsewhere). UTF-16 without a mark decodes as valid UTF-8 full of NULs,
 * so the decoder alone would not notice. It also notes a UTF-8 byte order mark, for the dialect.
 */
import { inputError } from '../errors.js';
import { workbookError, workbookFormat } from './workbook-signature.js';

/** Bytes looked at before deciding what the file is. */
const HEAD_BYTES = 512;

export type TextVerdict = 'utf-8' | 'utf-16' | 'binary';

/** What the first bytes of a file say it is. */
export function sniffText(head: Uint8Array): TextVerdict {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return 'utf-16';
  const nulAt = [0, 0];
  for (let i = 0; i < head.length; i++) if (head[i] === 0) nulAt[i % 2]++;
  if (nulAt[0] + nulAt[1] === 0) return 'utf-8';
  // ASCII in UTF-16: every character's other byte is NUL, all on one side (even for BE, odd for LE).
  const pairs = Math.floor(head.length / 2);
  const [one, other] = nulAt[0] > nulAt[1] ? [nulAt[0], nulAt[1]] : [nulAt[1], nulAt[0]];
  return other === 0 && one >= pairs / 2 ? 'utf-16' : 'binary';
}

/** Holds the first bytes until it can tell, then passes every chunk through, refusing NUL bytes. */
export class TextSniffer {
  private head: Buffer[] = [];
  private headLength = 0;
  private passed = 0;
  private decided = false;
  /** Whether the input starts with a UTF-8 byte order mark (known once the head is released). */
  bom = false;

  /** `tolerant` (under DP): a NUL byte past the header becomes '?' instead of a refusal that names its offset. */
  constructor(
    private readonly name: string,
    private readonly tolerant = false,
  ) {}

  /** The chunks that may go on to the decoder now (none while the head is being collected). */
  push(chunk: Buffer): Buffer[] {
    if (this.decided) {
      this.refuseNul(chunk);
      return [chunk];
    }
    this.head.push(chunk);
    this.headLength += chunk.length;
    return this.headLength >= HEAD_BYTES ? this.release() : [];
  }

  /** Whatever is still held, at the end of the input. */
  end(): Buffer[] {
    return this.decided ? [] : this.release();
  }

  private release(): Buffer[] {
    const head = Buffer.concat(this.head);
    this.head = [];
    this.decided = true;
    const workbook = workbookFormat(head, this.name);
    if (workbook) throw workbookError(this.name, workbook);
    this.bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
    // Under DP only the byte order mark may say UTF-16: the NUL pattern would read the first rows.
    const verdict = this.tolerant
      ? (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)
        ? 'utf-16'
        : 'utf-8'
      : sniffText(head);
    if (verdict === 'utf-16')
      throw inputError(
        `${this.name} is UTF-16 text, not UTF-8`,
        'Convert it first, e.g. iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8.csv',
      );
    this.refuseNul(head);
    return [head];
  }

  private refuseNul(chunk: Buffer): void {
    if (this.tolerant) {
      for (let at = chunk.indexOf(0); at >= 0; at = chunk.indexOf(0, at + 1)) chunk[at] = 0x3f;
      this.passed += chunk.length;
      return;
    }
    const at = chunk.indexOf(0);
    if (at >= 0)
      throw inputError(
        `${this.name} holds a NUL byte at byte ${this.passed + at + 1}: it is not a CSV text file`,
        'Give a UTF-8 CSV file (or a .parquet / .arrow file, read by its extension).',
      );
    this.passed += chunk.length;
  }
}
