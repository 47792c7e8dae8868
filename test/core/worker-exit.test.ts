import { Worker } from 'node:worker_threads';
import { endWorker, WORKER_IDLE_MS } from '../../src/core/worker-exit.js';

// A worker that answers, then stays alive a little (as gesalp's workers idle before they end).
const ANSWERS_THEN_IDLES = `
const { parentPort } = require('node:worker_threads');
parentPort.postMessage('done');
setTimeout(() => {}, ${WORKER_IDLE_MS});
`;
// A worker that says it started and then works on without answering.
const BUSY = `
require('node:worker_threads').parentPort.postMessage('started');
setInterval(() => {}, 1000);
`;

function exitCode(worker: Worker): Promise<number> {
  return new Promise((resolve) => worker.once('exit', resolve));
}

describe('endWorker', () => {
  it('leaves a worker that answered to end by itself (exit code 0, not terminated)', async () => {
    const worker = new Worker(ANSWERS_THEN_IDLES, { eval: true });
    const exited = exitCode(worker);
    await new Promise((resolve) => worker.once('message', resolve));
    await endWorker(worker, true);
    // Terminated workers exit with code 1; this one ran to its end.
    expect(await exited).toBe(0);
  });

  it('terminates a worker that has not answered', async () => {
    const worker = new Worker(BUSY, { eval: true });
    const exited = exitCode(worker);
    await new Promise((resolve) => worker.once('message', resolve));
    await endWorker(worker, false);
    expect(await exited).toBe(1);
  });
});
