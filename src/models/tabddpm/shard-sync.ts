/**
 * The memory training shards share: a stop flag, a reusable barrier, and per-shard slots for
 * gradients and losses. Slots alternate by step parity, so a shard that runs ahead writes the
 * next step's gradients while a slower one still reads this step's.
 */
const ARRIVED = 0;
const GENERATION = 1;
const STOP = 2;
const DECISION = 3;
/** Set when a shard failed: the others leave the barrier instead of waiting forever. */
const ABORT = 4;
/** The last checkpoint the main thread has answered, and its answer (1: stop). */
const VERDICT_INDEX = 5;
const VERDICT = 6;

export interface SharedBuffers {
  readonly control: SharedArrayBuffer;
  readonly grads: SharedArrayBuffer;
  readonly losses: SharedArrayBuffer;
}

export function createSharedBuffers(shards: number, weights: number): SharedBuffers {
  return {
    control: new SharedArrayBuffer(7 * Int32Array.BYTES_PER_ELEMENT),
    grads: new SharedArrayBuffer(2 * shards * weights * Float32Array.BYTES_PER_ELEMENT),
    losses: new SharedArrayBuffer(2 * shards * Float64Array.BYTES_PER_ELEMENT),
  };
}

/** Makes every shard waiting at the barrier give up (one of them failed). */
export function abortShards(buffers: SharedBuffers): void {
  const control = new Int32Array(buffers.control);
  Atomics.store(control, ABORT, 1);
  Atomics.notify(control, GENERATION);
}

/** Asks every shard to stop at its next step (all stop at the same one). */
export function requestStop(buffers: SharedBuffers): void {
  Atomics.store(new Int32Array(buffers.control), STOP, 1);
}

/** The main thread's answer to checkpoint `index` (1, 2, ...): stop training there, or go on. */
export function answerCheckpoint(buffers: SharedBuffers, index: number, stop: boolean): void {
  const control = new Int32Array(buffers.control);
  Atomics.store(control, VERDICT, stop ? 1 : 0);
  Atomics.store(control, VERDICT_INDEX, index);
  Atomics.notify(control, VERDICT_INDEX);
}

export class ShardSync {
  private readonly control: Int32Array;
  private readonly grads: Float32Array;
  private readonly losses: Float64Array;

  constructor(
    buffers: SharedBuffers,
    private readonly shard: number,
    private readonly shards: number,
    private readonly weights: number,
  ) {
    this.control = new Int32Array(buffers.control);
    this.grads = new Float32Array(buffers.grads);
    this.losses = new Float64Array(buffers.losses);
  }

  /** Where this shard writes its gradients for `step`. */
  gradSlot(step: number): Float32Array {
    const start = ((step % 2) * this.shards + this.shard) * this.weights;
    return this.grads.subarray(start, start + this.weights);
  }

  setLoss(step: number, loss: number): void {
    this.losses[(step % 2) * this.shards + this.shard] = loss;
  }

  /**
   * Waits until every shard has written `step`, then sums their gradients into `out` (in shard
   * order, so the result does not depend on timing) and returns the summed loss and whether to stop.
   */
  exchange(step: number, out: Float32Array): { loss: number; stop: boolean } {
    this.barrier();
    const stop = Atomics.load(this.control, DECISION) === 1;
    const parity = (step % 2) * this.shards;
    out.set(this.grads.subarray(parity * this.weights, (parity + 1) * this.weights));
    let loss = this.losses[parity];
    for (let s = 1; s < this.shards; s++) {
      const slot = this.grads.subarray((parity + s) * this.weights, (parity + s + 1) * this.weights);
      for (let i = 0; i < out.length; i++) out[i] += slot[i];
      loss += this.losses[parity + s];
    }
    return { loss, stop };
  }

  /** Blocks until the main thread answers checkpoint `index`; true means stop. Every shard gets the same answer. */
  awaitVerdict(index: number): boolean {
    for (;;) {
      const answered = Atomics.load(this.control, VERDICT_INDEX);
      if (answered >= index) return Atomics.load(this.control, VERDICT) === 1;
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
