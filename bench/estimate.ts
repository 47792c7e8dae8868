/**
 * The training-time estimate against the measured time (issue 28 item 12): for a methods-benchmark
 * run, what `gesalp suggest` estimates before it (the same function, on the same table) for the
 * planned epochs and for the epochs that ran, beside `train_s`; and a least-squares refit of a
 * method's two constants on its recorded runs, to show when the calibration has gone stale.
 */
import { suggest } from '../src/api/suggest.js';
import { REGISTRY, type MethodId } from '../src/models/registry.js';
import { ctganRun } from '../src/models/ctgan/time-estimate.js';
import type { EpochRun } from '../src/models/nn/time-estimate.js';
import { ddpmRun } from '../src/models/tabddpm/time-estimate.js';
import { tvaeRun } from '../src/models/tvae/time-estimate.js';
import { trainingEstimate } from '../src/optimizer/suggest.js';

/** A table as suggest sees it: its training rows and encoded width. */
export interface TableFacts {
  readonly train_rows: number;
  readonly input_width: number;
}

/** What a run recorded: enough to estimate it again. */
export interface RecordedRun {
  readonly parameters: Readonly<Record<string, number>>;
  /** Epochs that ran (early stopping ends some sooner). */
  readonly epochs: number;
  readonly train_s: number;
}

export interface EstimateColumns extends TableFacts {
  /** What suggest prints before the run: all the planned epochs ("up to"). */
  readonly estimate_s: number | null;
  /** The same estimate for the epochs that ran, the one comparable to train_s. */
  readonly estimate_done_s: number | null;
  /** estimate_done_s / train_s. */
  readonly estimate_ratio: number | null;
}

const facts = new Map<string, Promise<TableFacts>>();

/** The table's facts as `gesalp suggest --input` reads them (once per file). */
export function tableFacts(path: string): Promise<TableFacts> {
  if (!facts.has(path))
    facts.set(
      path,
      suggest({ method: 'ddpm', input: path }).then((s) => ({ train_rows: s.train_rows, input_width: s.input_width })),
    );
  return facts.get(path)!;
}

export function estimateColumns(method: string, table: TableFacts, run: RecordedRun): EstimateColumns {
  const descriptor = REGISTRY.get(method);
  const seconds = (epochs: number) =>
    trainingEstimate(descriptor, { ...run.parameters, n_iter: epochs }, table.train_rows, table.input_width)?.seconds ??
    null;
  const planned = seconds(run.parameters.n_iter);
  const done = seconds(run.epochs);
  return {
    ...table,
    estimate_s: round(planned),
    estimate_done_s: round(done),
    estimate_ratio: done === null || !run.train_s ? null : Number((done / run.train_s).toFixed(3)),
  };
}

/** Each method's run shape (steps, rows a step, weights a row goes through), as its estimate sees it. */
const RUN_SHAPES: Partial<
  Record<MethodId, (p: Readonly<Record<string, number>>, rows: number, width: number) => EpochRun>
> = { ddpm: ddpmRun, ctgan: ctganRun, tvae: tvaeRun };

/**
 * The step cost that fits these runs best (least squares on estimate / measured - 1, so that a
 * short run weighs as much as a long one); null with fewer than two runs or a method without a shape.
 */
export function refitStepCost(
  method: string,
  runs: readonly (RecordedRun & { readonly table: TableFacts })[],
): { per_step_ms: number; per_row_weight_ns: number } | null {
  const shape = RUN_SHAPES[method as MethodId];
  if (!shape || runs.length < 2) return null;
  // Each run: seconds = steps * perStep + steps * rowsPerStep * weights * perRowWeight.
  const rows = runs.map((r) => {
    const s = shape({ ...r.parameters, n_iter: r.epochs }, r.table.train_rows, r.table.input_width);
    const steps = s.epochs * s.stepsPerEpoch;
    return [steps / r.train_s, (steps * s.rowsPerStep * s.weights) / r.train_s];
  });
  const [aa, ab, bb] = [sum(rows, (x) => x[0] * x[0]), sum(rows, (x) => x[0] * x[1]), sum(rows, (x) => x[1] * x[1])];
  const [ay, by] = [sum(rows, (x) => x[0]), sum(rows, (x) => x[1])];
  const det = aa * bb - ab * ab;
  if (!det) return null;
  return {
    per_step_ms: Number((((ay * bb - by * ab) / det) * 1e3).toPrecision(4)),
    per_row_weight_ns: Number((((by * aa - ay * ab) / det) * 1e9).toPrecision(4)),
  };
}

const sum = (rows: number[][], f: (x: number[]) => number): number => rows.reduce((t, x) => t + f(x), 0);

const round = (x: number | null): number | null => (x === null ? null : Number(x.toFixed(1)));
