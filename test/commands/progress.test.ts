/** The progress bar at early stopping's checkpoints (issue 28 item 16): it says what training waits for, and each verdict gets a line. */
import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { Console, type Io } from '../../src/commands/io.js';
import { Progress } from '../../src/commands/progress.js';

function terminal(tty: boolean) {
  const written: string[] = [];
  const io: Io = {
    stdout: { write: () => true, isTTY: false },
    stderr: { write: (text: string) => written.push(text), isTTY: tty },
    stdin: Readable.from([]),
    env: { NO_COLOR: '1' },
    cwd: '.',
  };
  const progress = new Progress(io, new Console(io, { color: false, seed: 0 }), false);
  return { progress, written };
}

const step = { epoch: 49, epochs: 400, step: 400, steps: 3200, loss: 0.5, seconds: 2 };

describe('the progress bar at checkpoints', () => {
  it('says which checkpoint training waits for, then prints its verdict on a line of its own', () => {
    const { progress, written } = terminal(true);
    progress.training(step);
    progress.checkpoint({ phase: 'evaluating', epoch: 50, last: false });
    // eslint-disable-next-line no-control-regex -- the bar redraws its line with an escape sequence
    expect(written.at(-1)).toMatch(/^\r\x1b\[K\[#+\.+\] +13% evaluating the epoch 50 checkpoint\.\.\. \| 2 s elapsed/);
    progress.checkpoint({
      phase: 'judged',
      epoch: 50,
      last: false,
      allGreen: false,
      failing: ['ks_mean', 'mia_auc'],
      stop: false,
      seconds: 4.25,
    });
    expect(written.slice(-2)).toEqual([
      '\r\x1b[K',
      'checkpoint: the epoch 50 checkpoint judged in 4.3 s: failing ks_mean, mia_auc\n',
    ]);
  });

  it('prints verdicts without a bar off a TTY, and no time under DP', () => {
    const { progress, written } = terminal(false);
    progress.checkpoint({ phase: 'evaluating', epoch: 400, last: true });
    expect(written).toEqual([]);
    progress.checkpoint({
      phase: 'judged',
      epoch: 400,
      last: true,
      allGreen: true,
      failing: [],
      stop: true,
      seconds: null,
    });
    expect(written).toEqual(['checkpoint: the last weights judged: all green; training stops here\n']);
  });
});
