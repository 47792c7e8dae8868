/**
 * The rows a run writes: how many are sampled at once (all of them, or past a chunk the first
 * chunk, with the rest streamed: chunked-output.ts), and the kept attempt's rows turned into what
 * is written, whole for the caller or a chunk at a time to the request's sink.
 */
import { GesalpError, optionError, usageError } from '../core/errors.js';
import { countFormulaCells, tableToCsv } from '../core/io/write-csv.js';
import type { BoundConstraint } from '../core/schema/constraint-rows.js';
import type { Table } from '../core/table.js';
import { formatCount } from '../core/text/format.js';
import type { AttemptContext, AttemptOutcome } from './attempt.js';
import { CHUNK_ROWS, chunkPlan, wholeRows, writeChunks, type ChunkPlan, type WrittenRows } from './chunked-output.js';
import type { ConstraintsRecord } from './constrained-sampling.js';
import type { GenerateHooks, GenerateRequest } from './generate-request.js';
import { freshIdentifierColumns, type SetAside } from './identifier-columns.js';

/** Cells held in memory at once (rows of every condition value, times columns): past this the rows do not fit with their evaluation. */
const MAX_HELD_CELLS = 50_000_000;
/** Cells one run writes in chunks (memory holds one chunk): past this, a file of some ten gigabytes. */
const MAX_WRITTEN_CELLS = 1_000_000_000;

/**
 * The rows (of each condition value) to sample, and how: past a chunk they go to the request's
 * sink a chunk at a time; without a sink (a library call without `out`), or for an ensemble (which
 * mixes its members' rows in memory), they are held whole, as many as memory holds.
 */
export function rowsPlan(
  request: Pick<GenerateRequest, 'condition' | 'search' | 'rowsSink'>,
  shape: { rows: number; columns: number },
  /** How to get more rows than one run writes: from a file's run, its saved model samples again. */
  more = 'sample again from the saved model with another seed for more',
): ChunkPlan {
  const values = request.condition?.values.length ?? 1;
  const ensemble = (request.search?.ensemble ?? 1) > 1;
  const streams = Boolean(request.rowsSink) && !ensemble;
  const { rows, columns } = shape;
  const cells = rows * values * columns;
  const most = streams ? MAX_WRITTEN_CELLS : MAX_HELD_CELLS;
  if (cells > most) {
    const each = values > 1 ? ` for each of ${values} condition values` : '';
    const message = `sampling ${formatCount(rows)} rows${each} of ${columns} columns is ${formatCount(cells)} cells; one run ${streams ? 'samples' : 'holds'} at most ${formatCount(most)}`;
    const fewer = `Sample ${Math.floor(most / columns / values)} rows or fewer${each ? ' of each' : ''} per run`;
    if (streams) throw usageError(message, `${fewer}, and ${more}.`);
    // Held whole: an ensemble's rows are mixed in memory; a library call without a file returns them.
    throw ensemble
      ? optionError(
          'usage',
          'ensemble',
          message,
          `${fewer}, or leave out {ensemble}: the rows past ${formatCount(CHUNK_ROWS)} are then written a chunk at a time.`,
        )
      : optionError('usage', 'out', message, `${fewer}, or give {out}: the rows are then written a chunk at a time.`);
  }
  return streams ? chunkPlan(rows, values) : { first: rows, perChunk: null, total: rows };
}

export interface OutputRows {
  /** The rows written, or in chunks the first: what the evaluation judges. */
  readonly written: Table;
  /** The CSV text of rows written whole ('' in chunks: they went to the sink). */
  readonly csv: string;
  readonly output: WrittenRows;
  /** Formula-like cells written. */
  readonly formulas: number;
  /** The constraints record over every row drawn (null: none declared). */
  readonly constraints: ConstraintsRecord | null;
}

/** The kept rows with any kept identifier's fresh values: whole (the caller writes the CSV), or past a chunk streamed to the sink. */
export async function writeRows(
  request: GenerateRequest,
  run: {
    readonly aside: Pick<SetAside, 'kept'>;
    readonly constraints: readonly BoundConstraint[];
    readonly template: Table;
  },
  context: Pick<AttemptContext, 'onSampling'>,
  kept: AttemptOutcome,
  plan: ChunkPlan,
  hooks: GenerateHooks,
): Promise<OutputRows> {
  const values = request.condition?.values.length ?? 1;
  const identifiers = freshIdentifierColumns(run.aside, request.seed, plan.total * values);
  if (plan.perChunk === null) {
    const written = identifiers(kept.synthetic);
    const csv = tableToCsv(written, { excelSafe: request.excelSafe });
    const output = wholeRows(written, csv);
    return { written, csv, output, formulas: countFormulaCells(written), constraints: kept.constraints };
  }
  const started = performance.now();
  try {
    const result = await writeChunks(
      {
        model: kept.model,
        plan,
        first: kept.synthetic,
        firstConstraints: kept.constraints,
        seed: request.seed,
        condition: request.condition,
        constraints: run.constraints,
        reference: run.template,
        identifiers,
        excelSafe: request.excelSafe,
        signal: request.stopAll,
        onProgress: (done, total) => context.onSampling?.(done, total, (performance.now() - started) / 1000),
      },
      request.rowsSink!,
    );
    hooks.info?.(
      `sampled and wrote ${formatCount(result.output.rows)} rows, ${formatCount(result.output.chunkRows!)} at a time; the metrics judge the first ${formatCount(result.output.evaluatedRows)}`,
    );
    return { ...result, written: result.firstWritten, csv: '' };
  } catch (error) {
    if (request.stopAll.aborted) throw new GesalpError('interrupted', 'stopped by Ctrl-C; nothing was written');
    throw error;
  }
}
