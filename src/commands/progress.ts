/** What a long command shows while it works: the estimate, a progress bar on a TTY, a few lines otherwise. */
import { formatDuration } from '../core/text/duration.js';
import { renderProgress } from '../presentation/terminal/progress-bar.js';
import type { FitProgress } from '../models/synthesizer.js';
import type { Console, Io } from './io.js';

export class Progress {
  private readonly tty: boolean;
  private lastDraw = 0;
  private drawn = false;

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
    const value = (loss: number) => (Number.isFinite(loss) ? loss.toFixed(4) : '-');
    const losses = p.losses
      ? Object.entries(p.losses)
          .map(([name, loss]) => `${name} ${value(loss)}`)
          .join(' ')
      : `loss ${value(p.loss)}`;
    const label = `epoch ${Math.min(p.epoch + 1, p.epochs)}/${p.epochs} ${losses}`;
    this.draw(renderProgress({ done: p.step, total: p.steps, label, seconds: p.seconds }));
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
