/**
 * How gesalp's worker threads end. Node 20 takes a worker's isolate off its platform before V8 has
 * disposed of it, so a TurboFan job still compiling the worker's last hot functions on a background
 * thread can ask for a task on the gone isolate and abort the whole process ("NodePlatform::ForIsolate
 * ... Assertion failed: (data.first) != nullptr"; seen in CI as a CLI test's run ending on SIGABRT,
 * about 3 runs in 160 of a four-attempt grid on two loaded cores). A worker that has sent its result
 * therefore stays idle for a moment, so that such jobs finish, and then ends on its own; the main
 * thread never terminates a worker that has answered (it still terminates one that has not).
 */
import type { Worker } from 'node:worker_threads';

/** Long enough for a compile job started at the worker's last step to finish on a loaded machine. */
export const WORKER_IDLE_MS = 250;

/** In the worker, after its last message: idle, then return, so that its event loop ends empty. */
export const idleBeforeExit = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, WORKER_IDLE_MS));

/**
 * From the main thread, at the end: a worker that has answered is left to end by itself; one that
 * has not (a failure, a stop) is terminated.
 */
export async function endWorker(worker: Worker, answered: boolean): Promise<void> {
  if (!answered) await worker.terminate();
}
