/**
 * The secret randomness of DP-SGD: a 256-bit key drawn from the operating system's CSPRNG when a
 * run starts, expanded by AES-256 into independent streams. Two shapes, told apart by the block
 * they encrypt, so no AES input is ever used twice:
 *  - counter streams named by (purpose, step, part): AES-256-CTR from the block (purpose, step,
 *    part, 0), for draws that read no training row (the Gaussian noise, a GAN's fake rows);
 *  - subkeys named by (purpose, step): the two blocks (purpose, step, 2^32 - 1, 0 | 1), which
 *    row-prf.ts keys per-row draws with.
 * Every training shard holds the key, so each draws the same batches and noise without talking
 * to the others; nobody without the key can predict either, whatever `--seed` says (noise that
 * can be replayed can be subtracted).
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import type { Rng } from '../../core/rng.js';

export const KEY_BYTES = 32;

/** What a stream is for: each purpose has its own blocks, so no bits are ever used twice. */
export const STREAM = {
  /** The Poisson coins, per row (row-prf.ts). */
  sampling: 1,
  /** Each step's Gaussian noise, per parameter group (counter stream). */
  noise: 2,
  /** Per-row draws of encoding the training rows (row-prf.ts, step 0). */
  encoding: 3,
  /** Per-example draws of a private group's step: timesteps, noise, dropout masks... (row-prf.ts). */
  example: 4,
  /** The fake rows a GAN critic's step judges, the same on every shard (counter stream). */
  fake: 5,
  /** A generator's own step, which reads no training row (counter stream, part: the shard). */
  generator: 6,
} as const;

/** A fresh secret key; drawn once per run in the main thread and handed to every shard. */
export const freshKey = (): Uint8Array => new Uint8Array(randomBytes(KEY_BYTES));

const TWO_32 = 4294967296;
/** The third word of a subkey's blocks, which no counter stream's part may take. */
const SUBKEY_PART = TWO_32 - 1;
/** Uniforms a counter-stream Rng reads at a time. */
const CHUNK = 256;

export class KeyStream {
  private zeros = Buffer.alloc(0);

  constructor(private readonly key: Uint8Array) {
    if (key.length !== KEY_BYTES) throw new Error(`a DP-SGD key has ${KEY_BYTES} bytes, not ${key.length}`);
  }

  /**
   * `count` uniform integers in [0, 2^53) of the stream (purpose, step, part), as doubles (exact):
   * the keystream's 64-bit words with their top 11 bits dropped, from block `firstBlock` on (two per block).
   */
  uniforms53(purpose: number, step: number, part: number, count: number, firstBlock = 0): Float64Array {
    const words = this.words(purpose, step, part, 2 * count, firstBlock);
    return wordsToUniforms53(words, count);
  }

  /** The stream (purpose, step, part) as an Rng (uniforms with 53 bits), read as far as it is asked. */
  rng(purpose: number, step: number, part: number): Rng {
    let chunk: Float64Array = new Float64Array(0);
    let at = 0;
    let blocks = 0;
    const next = (): number => {
      if (at === chunk.length) {
        chunk = this.uniforms53(purpose, step, part, CHUNK, blocks);
        blocks += CHUNK / 2;
        at = 0;
      }
      return chunk[at++] / 2 ** 53;
    };
    return { next, int: (n) => Math.floor(next() * n) };
  }

  /** The 256-bit AES key of (purpose, step) that per-row draws are keyed with (row-prf.ts). */
  subkey(purpose: number, step: number): Uint8Array {
    checkName(purpose, step, 0);
    const blocks = Buffer.alloc(32);
    for (const half of [0, 1]) {
      blocks.writeUInt32BE(purpose, 16 * half);
      blocks.writeUInt32BE(step, 16 * half + 4);
      blocks.writeUInt32BE(SUBKEY_PART, 16 * half + 8);
      blocks.writeUInt32BE(half, 16 * half + 12);
    }
    return new Uint8Array(ecb(this.key, blocks));
  }

  /** `count` 32-bit words of the stream from block `firstBlock`: AES-256-CTR over zeros from (purpose, step, part, firstBlock). */
  private words(purpose: number, step: number, part: number, count: number, firstBlock: number): Uint32Array {
    checkName(purpose, step, part);
    if (part === SUBKEY_PART) throw new Error(`a counter stream's part must be below ${SUBKEY_PART}`);
    // The last 32 bits count blocks: the stream must end before they would carry into the part.
    if (!(Number.isInteger(firstBlock) && firstBlock >= 0 && firstBlock + count / 4 <= TWO_32))
      throw new Error(`a stream of ${count} words from block ${firstBlock} is longer than its counter`);
    const iv = Buffer.alloc(16);
    iv.writeUInt32BE(purpose, 0);
    iv.writeUInt32BE(step, 4);
    iv.writeUInt32BE(part, 8);
    iv.writeUInt32BE(firstBlock, 12);
    const bytes = 4 * count;
    if (this.zeros.length < bytes) this.zeros = Buffer.alloc(bytes);
    const cipher = createCipheriv('aes-256-ctr', this.key, iv);
    return asWords(cipher.update(this.zeros.subarray(0, bytes)));
  }
}

/** AES-256 of each 16-byte block of `blocks` (ECB: the bare block cipher, used as a PRF on distinct blocks). */
export function ecb(key: Uint8Array, blocks: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-ecb', key, null);
  cipher.setAutoPadding(false);
  return cipher.update(blocks);
}

/** A buffer's bytes as 32-bit words (copied when the buffer is not 4-aligned). */
export const asWords = (bytes: Buffer): Uint32Array =>
  bytes.byteOffset % 4 === 0
    ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4)
    : new Uint32Array(new Uint8Array(bytes).buffer);

/** Each pair of words as one uniform integer in [0, 2^53): the first's top 21 bits above the second's 32. */
export function wordsToUniforms53(words: Uint32Array, count: number): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = (words[2 * i] >>> 11) * TWO_32 + words[2 * i + 1];
  return out;
}

function checkName(purpose: number, step: number, part: number): void {
  for (const v of [purpose, step, part])
    if (!(Number.isInteger(v) && v >= 0 && v < TWO_32)) throw new Error(`a stream name out of range: ${v}`);
}
