/**
 * The sampled lines, released in a uniformly random order drawn from the CSPRNG: released in scan
 * order, a line's position would tell which stored row it came from, and amplification's
 * accounting is for the multiset of lines. Lines are held in memory up to a limit; past it each
 * line goes to one of BUCKETS temporary files picked uniformly at random, and at the end every
 * bucket is shuffled on its own and written in turn. That is a uniform permutation: it orders the
 * lines by independent uniform keys (bucket, position in the bucket). Temporary files are private
 * to the user (0600 in a 0700 folder) and removed whatever happens.
 */
import { randomInt } from 'node:crypto';
import { mkdtemp, open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BUCKETS = 64;
const MEMORY_BYTES = 64 * 1024 * 1024;

/** Fisher-Yates with node:crypto's randomInt (rejection, no modulo bias). */
export function shuffleInPlace<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

export class ShuffledLines {
  private held: string[] = [];
  private bytes = 0;
  private spill?: { dir: string; buckets: FileHandle[] };
  count = 0;

  constructor(
    private readonly memoryBytes = MEMORY_BYTES,
    private readonly bucketCount = BUCKETS,
  ) {}

  async add(line: string): Promise<void> {
    this.count++;
    if (this.spill) return this.toBucket(line);
    this.held.push(line);
    this.bytes += line.length;
    if (this.bytes > this.memoryBytes) await this.startSpilling();
  }

  /** Writes every line to `write`, in a uniformly random order, then forgets them. */
  async drain(write: (line: string) => unknown | Promise<unknown>): Promise<void> {
    if (!this.spill) {
      for (const line of shuffleInPlace(this.held)) await write(line);
      this.held = [];
      return;
    }
    for (const [b, bucket] of this.spill.buckets.entries()) {
      await bucket.close();
      const path = join(this.spill.dir, String(b));
      // One JSON string per line: a CSV line may hold newlines inside quotes.
      const lines = (await readFile(path, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as string);
      await rm(path);
      for (const line of shuffleInPlace(lines)) await write(line);
    }
    this.spill.buckets = [];
    await this.discard();
  }

  /** Forgets the lines and removes any temporary file. */
  async discard(): Promise<void> {
    this.held = [];
    if (!this.spill) return;
    const { dir, buckets } = this.spill;
    this.spill = undefined;
    await Promise.all(buckets.map((b) => b.close().catch(() => undefined)));
    await rm(dir, { recursive: true, force: true });
  }

  private async startSpilling(): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'gesalp-shuffle-'));
    const buckets: FileHandle[] = [];
    this.spill = { dir, buckets };
    for (let b = 0; b < this.bucketCount; b++) buckets.push(await open(join(dir, String(b)), 'wx', 0o600));
    const held = this.held;
    this.held = [];
    for (const line of held) await this.toBucket(line);
  }

  private async toBucket(line: string): Promise<void> {
    await this.spill!.buckets[randomInt(this.bucketCount)].write(`${JSON.stringify(line)}\n`);
  }
}
