/**
 * The memory training shards share: a stop flag, a reusable barrier, and per-shard slots for
 * gradients and losses. Each gradient exchange (one per parameter-group step) uses the slots of
 * its parity, so a shard that runs ahead writes the next exchange's gradients while a slower one
 * still reads this one's. Slots are as wide as the largest group; a group uses their start.
 */
import type { CheckpointAnswer, Exchange } from './exchange.js';

const ARRIVED = 0;
const GENERATION = 1;
const STOP = 2;
const DECISION = 3;
/** Set when a shard failed: the others leave the barrier instead of waiting forever. */
const ABORT = 4;
/** The last checkpoint the main thread has answered, and its answer (1: stop). */
const VERDICT_INDEX = 5;
const VERDICT = 6;
/** The control words; the answer's learning-rate factor, a float64, follows them. */
const WORDS = 8;
const lrFactorOf = (control: SharedArrayBuffer) => new Float64Array(control, WORDS * Int32Array.BYTES_PER_ELEMENT, 1);

export interface SharedBuffers {
  readonly control: SharedArrayBuffer;
  readonly grads: SharedArrayBuffer;
  readonly losses: SharedArrayBuffer;
}

/** `width`: the most weights one exchange carries (the largest parameter group). */
export function createSharedBuffers(shards: number, width: number): SharedBuffers {
  return {
    control: new SharedArrayBuffer(WORDS * Int32Array.BYTES_PER_ELEMENT + Float64Array.BYTES_PER_ELEMENT),
    grads: new SharedArrayBuffer(2 * shards * width * Float32Array.BYTES_PER_ELEMENT),
    losses: new SharedArrayBuffer(2 * shards * Float64Array.BYTES_PER_ELEMENT),
  };
}

/** Makes every shard waiting at the barrier or for a verdict give up (one of them failed). */
export function abortShards(buffers: SharedBuffers): void {
  const control = new Int32Array(buffers.control, 0, WORDS);
  Atomics.store(control, ABORT, 1);
  Atomics.notify(control, GENERATION);
  Atomics.notify(control, VERDICT_INDEX);
}

/** Asks every shard to stop after its current step (all stop at the same one). */
export function requestStop(buffers: SharedBuffers): void {
  Atomics.store(new Int32Array(buffers.control, 0, WORDS), STOP, 1);
}

/**
 * The main thread's answer to checkpoint `index` (1, 2, ...): stop training there, or go on with the
 * learning rate times `lrFactor`. Written before the index, which the shards read first.
 */
export function answerCheckpoint(buffers: SharedBuffers, index: number, stop: boolean, lrFactor = 1): void {
  const control = new Int32Array(buffers.control, 0, WORDS);
  lrFactorOf(buffers.control)[0] = lrFactor;
  Atomics.store(control, VERDICT, stop ? 1 : 0);
  Atomics.store(control, VERDICT_INDEX, index);
  Atomics.notify(control, VERDICT_INDEX);
}

/** A shard's exchange through the shared memory of worker threads. */
export class ShardSync implements Exchange {
  private readonly control: Int32Array;
  private readonly lrFactor: Float64Array;
  private readonly grads: Float32Array;
  private readonly losses: Float64Array;
  private readonly width: number;

  constructor(
    buffers: SharedBuffers,
    private readonly shard: number,
    private readonly shards: number,
  ) {
    this.control = new Int32Array(buffers.control, 0, WORDS);
    this.lrFactor = lrFactorOf(buffers.control);
    this.grads = new Float32Array(buffers.grads);
    this.losses = new Float64Array(buffers.losses);
    this.width = this.grads.length / (2 * shards);
  }

  /** Where this shard writes its `size` gradients for exchange `index`. */
  gradSlot(index: number, size: number): Float32Array {
    const start = ((index % 2) * this.shards + this.shard) * this.width;
    return this.grads.subarray(start, start + size);
  }

  setLoss(index: number, loss: number): void {
    this.losses[(index % 2) * this.shards + this.shard] = loss;
  }

  /**
   * Waits until every shard has written exchange `index`, then sums their gradients into `out`
   * (in shard order, so the result does not depend on timing) and returns the summed loss and
   * whether to stop.
   */
  exchange(index: number, out: Float32Array): { loss: number; stop: boolean } {
    this.barrier();
    const stop = Atomics.load(this.control, DECISION) === 1;
    const parity = (index % 2) * this.shards;
    const size = out.length;
    out.set(this.grads.subarray(parity * this.width, parity * this.width + size));
    let loss = this.losses[parity];
    for (let s = 1; s < this.shards; s++) {
      const start = (parity + s) * this.width;
      const slot = this.grads.subarray(start, start + size);
      for (let i = 0; i < size; i++) out[i] += slot[i];
      loss += this.losses[parity + s];
    }
    return { loss, stop };
  }

  /** Blocks until the main thread answers checkpoint `index`. Every shard gets the same answer. */
  awaitVerdict(index: number): CheckpointAnswer {
    for (;;) {
      const answered = Atomics.load(this.control, VERDICT_INDEX);
      if (answered >= index) return { stop: Atomics.load(this.control, VERDICT) === 1, lrFactor: this.lrFactor[0] };
      if (Atomics.load(this.control, ABORT)) throw new Error('another training shard failed');
      Atomics.wait(this.control, VERDICT_INDEX, answered, 1000);
    }
  }

  private barrier(): void {
    const generation = Atomics.load(this.control, GENERATION);
    if (Atomics.add(this.control, ARRIVED, 1) === this.shards - 1) {
      // The last to arrive decides for everyone, so all shards stop at the same step.
      Atomics.store(this.control, DECISION, Atomics.load(this.control, STOP));
      Atomics.store(this.control, ARRIVED, 0);
      Atomics.add(this.control, GENERATION, 1);
      Atomics.notify(this.control, GENERATION);
    } else {
      while (Atomics.load(this.control, GENERATION) === generation) {
        if (Atomics.load(this.control, ABORT)) throw new Error('another training shard failed');
        Atomics.wait(this.control, GENERATION, generation, 1000);
      }
    }
  }
}
