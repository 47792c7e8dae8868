/** A one-line progress bar redrawn in place (only used when stderr is a TTY). */
import { formatDuration } from '../../core/text/duration.js';

export interface ProgressLine {
  readonly done: number;
  readonly total: number;
  readonly label: string;
  readonly seconds: number;
}

const WIDTH = 28;

export function renderProgress({ done, total, label, seconds }: ProgressLine): string {
  const fraction = total > 0 ? Math.min(done / total, 1) : 0;
  const filled = Math.round(fraction * WIDTH);
  const eta = fraction > 0 ? (seconds / fraction) * (1 - fraction) : NaN;
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${(100 * fraction).toFixed(0).padStart(3)}% ${label}`;
  // No time given (a DP run, whose pace grows with the private row count): no elapsed time or ETA.
  return Number.isNaN(seconds) ? bar : `${bar} | ${formatDuration(seconds)} elapsed, ETA ${formatDuration(eta)}`;
}
