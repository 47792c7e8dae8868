/**
 * DP-SGD's per-row randomness: every draw that belongs to one training row (its Poisson coin, its
 * timestep and noise, its dropout masks...) is a pseudorandom function of (purpose, step, the
 * row's identity, a counter), never of the row's position or of the other rows. The PRF is
 *
 *   F(purpose, step, id, j) = AES-256_{K(purpose, step)}(id0 | id1 | id2 | j),
 *   K(purpose, step) = the run key's subkey (keystream.ts: AES-256 of two reserved blocks),
 *
 * one AES block per two uniforms, each 53 bits of a 64-bit half. AES under the secret key is a
 * PRF on distinct blocks; the subkeys are its outputs, so each (purpose, step) has an
 * independent-looking key, and within it every (identity, counter) is its own block. Adding a row
 * then adds its own draws and changes no other row's: the sensitivity of a step's clipped sum
 * stays at one row's C (see row-identity.ts for why copies of a row are safe too).
 */
import type { Rng } from '../../core/rng.js';
import { KeyStream, asWords, ecb, wordsToUniforms53 } from './keystream.js';
import { ID_WORDS } from './row-identity.js';

const TWO_53 = 2 ** 53;

/** Whether this machine stores a Uint32Array's words little-end first (then blocks are written byte-swapped). */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
/** A word as the four bytes of its big-endian form, read back in this machine's order. */
const bigEndian = (v: number): number =>
  LITTLE_ENDIAN ? ((v >>> 24) | ((v >>> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24)) >>> 0 : v >>> 0;

export class RowPrf {
  private readonly stream: KeyStream;
  /** The identities' words as big-endian bytes (the blocks' layout), so blocks are built by copying words. */
  private readonly idWords: Uint32Array;
  /** Every row's first block (counter 0), laid out once: what the Poisson coins encrypt each step. */
  private firstBlocks: Buffer | null = null;
  /** Where firstOfEveryRow writes, kept between steps (a Poisson step reads n coins). */
  private firsts = new Float64Array(0);

  /** `ids`: ID_WORDS words per training row (row-identity.ts). */
  constructor(key: Uint8Array, ids: Uint32Array) {
    if (ids.length % ID_WORDS) throw new Error(`row identities come in ${ID_WORDS} words, not ${ids.length} in all`);
    this.stream = new KeyStream(key);
    this.idWords = ids.map(bigEndian);
  }

  /** Training rows with an identity. */
  get rows(): number {
    return this.idWords.length / ID_WORDS;
  }

  /**
   * `perRow` uniform integers in [0, 2^53) for each row of `rows` (training-row indices, any
   * order, repeats allowed), row i's at [i perRow, (i + 1) perRow): the first `perRow` of that
   * row's sequence for (purpose, step), whichever other rows are asked for with it.
   */
  uniforms53(purpose: number, step: number, rows: ArrayLike<number>, perRow: number): Float64Array {
    if (!(Number.isInteger(perRow) && perRow >= 1))
      throw new Error(`a row takes a whole number of draws, not ${perRow}`);
    const blocksPerRow = Math.ceil(perRow / 2);
    const blocks = new Uint32Array(4 * rows.length * blocksPerRow);
    for (let i = 0; i < rows.length; i++) {
      const at = this.idAt(rows[i]);
      for (let j = 0; j < blocksPerRow; j++) this.writeBlock(blocks, i * blocksPerRow + j, at, j);
    }
    const uniforms = wordsToUniforms53(asWords(this.encrypt(purpose, step, blocks)), rows.length * 2 * blocksPerRow);
    if (perRow === 2 * blocksPerRow) return uniforms;
    // An odd count leaves each row's last half-block unread.
    const out = new Float64Array(rows.length * perRow);
    for (let i = 0; i < rows.length; i++)
      out.set(uniforms.subarray(2 * blocksPerRow * i, 2 * blocksPerRow * i + perRow), i * perRow);
    return out;
  }

  /**
   * The first uniform of every training row's sequence for (purpose, step), in row order (the
   * Poisson coins): a view of one array the next call overwrites (a step's coins are read at once).
   */
  firstOfEveryRow(purpose: number, step: number): Float64Array {
    if (!this.firstBlocks) {
      const blocks = new Uint32Array(4 * this.rows);
      for (let r = 0; r < this.rows; r++) this.writeBlock(blocks, r, r * ID_WORDS, 0);
      this.firstBlocks = Buffer.from(blocks.buffer);
      this.firsts = new Float64Array(this.rows);
    }
    const words = asWords(ecb(this.stream.subkey(purpose, step), this.firstBlocks));
    const out = this.firsts;
    // The block's first 64 bits, as uniforms53 reads them.
    for (let r = 0; r < this.rows; r++) out[r] = (words[4 * r] >>> 11) * 4294967296 + words[4 * r + 1];
    return out;
  }

  /**
   * The draws of `rows` as one Rng per row (uniforms in [0, 1) with 53 bits): `perRow` of them,
   * read in any order within the row; reading more is an error, never a draw from another row.
   */
  rowRngs(purpose: number, step: number, rows: ArrayLike<number>, perRow: number): (i: number) => Rng {
    const uniforms = this.uniforms53(purpose, step, rows, perRow);
    // One cursor per row, however often it is asked for.
    const rngs = Array.from({ length: rows.length }, (_, i) => reservedRng(uniforms, i * perRow, perRow));
    return (i) => rngs[i];
  }

  private idAt(row: number): number {
    if (!(Number.isInteger(row) && row >= 0 && row < this.rows))
      throw new Error(`row ${row} has no identity (${this.rows} rows)`);
    return row * ID_WORDS;
  }

  /** Block `index` of `blocks` := (id0, id1, id2, counter), each word big-endian. */
  private writeBlock(blocks: Uint32Array, index: number, idAt: number, counter: number): void {
    const at = 4 * index;
    blocks[at] = this.idWords[idAt];
    blocks[at + 1] = this.idWords[idAt + 1];
    blocks[at + 2] = this.idWords[idAt + 2];
    blocks[at + 3] = bigEndian(counter);
  }

  private encrypt(purpose: number, step: number, blocks: Uint32Array): Buffer {
    return ecb(this.stream.subkey(purpose, step), Buffer.from(blocks.buffer, blocks.byteOffset, blocks.byteLength));
  }
}

/** `count` uniforms of `u53` from `start` as an Rng; it throws when read past them. */
export function reservedRng(u53: Float64Array, start: number, count: number): Rng {
  let at = start;
  const end = start + count;
  const next = (): number => {
    if (at >= end) throw new Error(`a row read more than its ${count} reserved draws`);
    return u53[at++] / TWO_53;
  };
  return { next, int: (n) => Math.floor(next() * n) };
}
