/**
 * Which checkpoint rows the page marks: the one whose weights the model kept, and the last weights
 * it was judged against. The rule and the reason come with the report (src/optimizer/early-stop.ts).
 */
import type { EarlyStopRecord } from '../../pipeline/report.js';

type Checkpoint = EarlyStopRecord['checkpoints'][number];

/** The row whose weights the model kept: the earlier checkpoint it names, else the weights training ended with. */
export function keptIndex(checkpoints: readonly Checkpoint[], keptEpoch: number | null, epochsDone: number): number {
  if (keptEpoch !== null) return checkpoints.findIndex((c) => c.epoch === keptEpoch && !c.last);
  const last = checkpoints.findIndex((c) => c.last);
  if (last >= 0) return last;
  const stop = checkpoints.findIndex((c) => c.stop);
  if (stop >= 0) return stop;
  return checkpoints.map((c) => c.epoch).lastIndexOf(epochsDone);
}

/** The row judged as the last weights: the `last` record, or the checkpoint training stopped at. */
export const lastIndex = (checkpoints: readonly Checkpoint[]): number => {
  const last = checkpoints.findIndex((c) => c.last);
  return last >= 0 ? last : checkpoints.findIndex((c) => c.stop);
};
