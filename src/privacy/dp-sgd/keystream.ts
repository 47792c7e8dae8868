/**
 * The secret randomness of DP-SGD: a 256-bit key drawn from the operating system's CSPRNG when a
 * run starts, expanded by AES-256 in counter mode into independent streams named by (purpose,
 * step, part). Every training shard holds the key, so each draws the same Poisson batch and the
 * same noise without talking to the others; nobody without the key can predict either, whatever
 * `--seed` says (noise that can be replayed can be subtracted).
 */
import { createCipheriv, randomBytes } from 'node:crypto';

export const KEY_BYTES = 32;

/** What a stream is for: each purpose has its own counter blocks, so no bits are ever used twice. */
export const STREAM = { sampling: 1, noise: 2 } as const;

/** A fresh secret key; drawn once per run in the main thread and handed to every shard. */
export const freshKey = (): Uint8Array => new Uint8Array(randomBytes(KEY_BYTES));

const TWO_32 = 4294967296;

export class KeyStream {
  private zeros = Buffer.alloc(0);

  constructor(private readonly key: Uint8Array) {
    if (key.length !== KEY_BYTES) throw new Error(`a DP-SGD key has ${KEY_BYTES} bytes, not ${key.length}`);
  }

  /**
   * `count` uniform integers in [0, 2^53) of the stream (purpose, step, part), as doubles (exact):
   * the keystream's 64-bit words with their top 11 bits dropped.
   */
  uniforms53(purpose: number, step: number, part: number, count: number): Float64Array {
    const words = this.words(purpose, step, part, 2 * count);
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = (words[2 * i] >>> 11) * TWO_32 + words[2 * i + 1];
    return out;
  }

  /** The first `count` 32-bit words of the stream: AES-256-CTR over zeros from the block (purpose, step, part, 0). */
  private words(purpose: number, step: number, part: number, count: number): Uint32Array {
    for (const v of [purpose, step, part])
      if (!(Number.isInteger(v) && v >= 0 && v < TWO_32)) throw new Error(`a stream name out of range: ${v}`);
    const iv = Buffer.alloc(16);
    iv.writeUInt32BE(purpose, 0);
    iv.writeUInt32BE(step, 4);
    iv.writeUInt32BE(part, 8);
    // The last 32 bits count blocks: 2^32 blocks of 16 bytes is more than any one stream takes.
    if (count > 4 * (TWO_32 - 1)) throw new Error(`a stream of ${count} words is longer than its counter`);
    const bytes = 4 * count;
    if (this.zeros.length < bytes) this.zeros = Buffer.alloc(bytes);
    const cipher = createCipheriv('aes-256-ctr', this.key, iv);
    const out = cipher.update(this.zeros.subarray(0, bytes));
    return out.byteOffset % 4 === 0
      ? new Uint32Array(out.buffer, out.byteOffset, count)
      : new Uint32Array(new Uint8Array(out).buffer);
  }
}
