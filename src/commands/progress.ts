/** What a long command shows while it works: the estimate, a progress bar on a TTY, a few lines otherwise. */
import { formatDuration } from '../core/text/duration.js';
import { renderProgress } from '../presentation/terminal/progress-bar.js';
import type { FitProgress } from '../models/synthesizer.js';
import type { CheckpointEvent } from '../pipeline/attempt.js';
import type { Console, Io } from './io.js';

export class Progress {
  private readonly tty: boolean;
  private lastDraw = 0;
  private drawn = false;
  /** The last training progress drawn, which a checkpoint's line keeps in place while training waits. */
  private last: FitProgress | undefined;

  constructor(
    private readonly io: Io,
    private readonly console: Console,
    private readonly quiet: boolean,
  ) {
    this.tty = Boolean(io.stderr.isTTY) && !quiet;
  }

  estimate(seconds: number): void {
    this.clear();
    this.console.info(`estimated training time: ${formatDuration(seconds)} (timed on the first steps)`);
  }

  training(p: FitProgress): void {
    if (!this.tty) return;
    const now = performance.now();
    if (now - this.lastDraw < 200 && p.step < p.steps) return;
    this.lastDraw = now;
    this.last = p;
    const value = (loss: number) => (Number.isFinite(loss) ? loss.toFixed(4) : '-');
    const losses = p.losses
      ? Object.entries(p.losses)
          .map(([name, loss]) => `${name} ${value(loss)}`)
          .join(' ')
      : `loss ${value(p.loss)}`;
    const label = `epoch ${Math.min(p.epoch + 1, p.epochs)}/${p.epochs} ${losses}`;
    this.draw(renderProgress({ done: p.step, total: p.steps, label, seconds: p.seconds }));
  }

  /**
   * While a checkpoint is judged training waits: the bar says so instead of freezing, and each
   * verdict gets a line of its own. The bar's elapsed time, and so its ETA, includes the waits.
   */
  checkpoint(event: CheckpointEvent): void {
    const at = event.last ? 'the last weights' : `the epoch ${event.epoch} checkpoint`;
    if (event.phase === 'evaluating') {
      const p = this.last;
      if (this.tty && p)
        this.draw(renderProgress({ done: p.step, total: p.steps, label: `evaluating ${at}...`, seconds: p.seconds }));
      return;
    }
    this.clear();
    const verdict = event.allGreen ? 'all green' : `failing ${event.failing.join(', ') || 'no check'}`;
    const took = event.seconds === null ? '' : ` in ${event.seconds.toFixed(1)} s`;
    this.console.info(`checkpoint: ${at} judged${took}: ${verdict}${event.stop ? '; training stops here' : ''}`);
  }

  sampling(done: number, total: number, seconds: number): void {
    if (this.tty) this.draw(renderProgress({ done, total, label: `sampled ${done}/${total} rows`, seconds }));
  }

  /** Ends the bar's line so the next message starts clean. */
  clear(): void {
    if (this.drawn) this.io.stderr.write('\r\x1b[K');
    this.drawn = false;
  }

  private draw(line: string): void {
    this.io.stderr.write(`\r\x1b[K${line}`);
    this.drawn = true;
  }
}
