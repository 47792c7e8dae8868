/**
 * The rows of `generate --client` (SPEC section 10), written as `gesalp generate FILE` writes its
 * rows: up to a chunk whole; past it, with a sink, the first chunk and then chunk after chunk
 * sampled, written and dropped (chunked-output.ts); without one, held whole as far as memory holds
 * (the plan is output-rows.ts's rowsPlan, which refuses past that). Two steps, so that the caller
 * can spend the budget between them: the first chunk is sampled before any row leaves, the rest
 * as they are written.
 */
import { GesalpError } from '../core/errors.js';
import { tableToCsv } from '../core/io/write-csv.js';
import type { Table } from '../core/table.js';
import type { Aim } from '../models/aim/model.js';
import { wholeRows, writeChunks, type ChunkPlan, type RowSink, type WrittenRows } from './chunked-output.js';

export interface DatabaseRowsJob {
  readonly model: Aim;
  readonly plan: ChunkPlan;
  readonly seed: number;
  /** Where the rows go past a chunk (absent: the plan holds them whole). */
  readonly sink?: RowSink;
  readonly excelSafe?: boolean;
  readonly signal?: AbortSignal;
}

/** Chunk 0, sampled with the run's seed: every row when written whole (the rows a run wrote before chunks existed). */
export async function firstChunk(job: DatabaseRowsJob): Promise<Table> {
  return (await job.model.sample(job.plan.first, { seed: job.seed, signal: job.signal })).table;
}

/** The rows written: whole as CSV text for the caller, or the first chunk and the rest streamed to the sink. */
export async function writeDatabaseRows(
  job: DatabaseRowsJob,
  first: Table,
): Promise<{ readonly csv: string; readonly output: WrittenRows }> {
  if (job.plan.perChunk === null) {
    const csv = tableToCsv(first, { excelSafe: job.excelSafe });
    return { csv, output: wholeRows(first, csv) };
  }
  const signal = job.signal ?? new AbortController().signal;
  try {
    const { output } = await writeChunks(
      {
        model: job.model,
        plan: job.plan,
        first,
        firstConstraints: null,
        seed: job.seed,
        constraints: [],
        // Every chunk's levels are the model's: the first chunk's lists serve them all.
        reference: first,
        identifiers: (chunk) => chunk,
        excelSafe: job.excelSafe,
        signal,
      },
      job.sink!,
    );
    return { csv: '', output };
  } catch (error) {
    if (signal.aborted)
      throw new GesalpError(
        'interrupted',
        'stopped by Ctrl-C while writing the rows: no output file is left, and a run under DP stays charged (rows had left)',
      );
    throw error;
  }
}
