/**
 * Rows written in chunks (SPEC section 10): past CHUNK_ROWS rows (of each --condition value), the
 * kept model samples the output a chunk at a time, and each chunk is post-processed (levels,
 * constraints, fresh identifiers), written to the caller's sink as CSV and dropped, so that peak
 * memory does not grow with -n. The attempts sample, and the evaluation judges, the first chunk
 * alone: it is the first rows of the file, the very rows a run asking for that many would write.
 *
 * Seeds: chunk 0 takes the run's seed (so a run of at most CHUNK_ROWS rows is the unchunked run),
 * chunk k a seed mixed from it and k. The rows are deterministic for a seed; they are not the rows
 * one sample of every row would give, and cannot be for every method: AIM rounds its counts over
 * the whole sample (aim/sample.ts), so its rows depend on how many are drawn at once. That is why
 * the chunk size is one constant, here.
 */
import { createHash } from 'node:crypto';
import { alignLevels } from '../core/align-levels.js';
import { countFormulaCells, csvHeader, dateOnlyColumns, tableToCsv } from '../core/io/write-csv.js';
import type { BoundConstraint } from '../core/schema/constraint-rows.js';
import type { Table } from '../core/table.js';
import type { SampleCondition } from '../models/conditional-sampling.js';
import type { Synthesizer } from '../models/synthesizer.js';
import { sampleConstrained, type ConstraintsRecord } from './constrained-sampling.js';

/** Rows (over every --condition value) sampled, written and dropped at once; the rows evaluated past it. */
export const CHUNK_ROWS = 50_000;

/** Rows formatted into one piece of CSV text: a chunk's text is never held whole. */
const BLOCK_ROWS = 8192;

/** Salt of the chunks' seeds after the first. */
const CHUNK_SALT = 0xc4a7;

/** Where the rows go, in order: a file being written (renamed into place by the caller once all is written), or stdout. */
export interface RowSink {
  write(text: string): void | Promise<void>;
}

/** The rows as written: what the report's output section and the synthetic file's record say. */
export interface WrittenRows {
  readonly rows: number;
  readonly columns: number;
  readonly bytes: number;
  readonly sha256: string;
  /** Rows sampled, written and dropped at a time (null: written whole). */
  readonly chunkRows: number | null;
  /** The rows the attempts sampled and the evaluation judged: every row, or the first chunk. */
  readonly evaluatedRows: number;
  /** Seconds spent sampling and writing the chunks after the first (0: written whole, by the caller). */
  readonly seconds: number;
}

/** How `rows` rows of each of `values` condition values are sampled: all at once, or the first chunk and the rest streamed. */
export interface ChunkPlan {
  /** Rows (of each value) the attempts sample and the evaluation judges: all of them, or the first chunk. */
  readonly first: number;
  /** Rows of each value per chunk (null: one sample, held whole). */
  readonly perChunk: number | null;
  readonly total: number;
}

export function chunkPlan(rows: number, values: number): ChunkPlan {
  const perChunk = Math.max(1, Math.ceil(CHUNK_ROWS / values));
  return rows <= perChunk ? { first: rows, perChunk: null, total: rows } : { first: perChunk, perChunk, total: rows };
}

/** Chunk k's seed: the run's for the first chunk, a seed mixed from it and k for the others. */
export function chunkSeed(seed: number, k: number): number {
  if (k === 0) return seed;
  let h = Math.imul((seed ^ CHUNK_SALT) >>> 0, 0x9e3779b1) ^ Math.imul(k, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The rows written whole: what the report says of the CSV text a caller writes. */
export function wholeRows(table: Table, csv: string): WrittenRows {
  return {
    rows: table.rowCount,
    columns: table.columns.length,
    bytes: Buffer.byteLength(csv),
    sha256: createHash('sha256').update(csv).digest('hex'),
    chunkRows: null,
    evaluatedRows: table.rowCount,
    seconds: 0,
  };
}

export interface ChunkedWrite {
  readonly model: Synthesizer;
  readonly plan: ChunkPlan;
  /** The first chunk, as the kept attempt sampled it (levels aligned, without kept identifier columns). */
  readonly first: Table;
  /** The first chunk's constraints record (null: none declared). */
  readonly firstConstraints: ConstraintsRecord | null;
  readonly seed: number;
  readonly condition?: SampleCondition;
  readonly constraints: readonly BoundConstraint[];
  /** The input's columns, whose level lists the sampled rows take (as the attempts' rows do). */
  readonly reference: Table;
  /** Puts the kept identifier columns back into each chunk, their fresh values unique across chunks. */
  readonly identifiers: (chunk: Table) => Table;
  readonly excelSafe?: boolean;
  readonly signal: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ChunkedResult {
  readonly output: WrittenRows;
  /** The first chunk as written (identifier columns included): the rows the evaluation judges beside the model's. */
  readonly firstWritten: Table;
  /** Formula-like cells over every chunk (column names included). */
  readonly formulas: number;
  /** The constraints record over every chunk (null: none declared). */
  readonly constraints: ConstraintsRecord | null;
}

/** The header and the first chunk, then chunk after chunk sampled from the model: each written to the sink and dropped. */
export async function writeChunks(job: ChunkedWrite, sink: RowSink): Promise<ChunkedResult> {
  const { plan } = job;
  const started = performance.now();
  const perChunk = plan.perChunk ?? plan.total;
  const values = job.condition?.values.length ?? 1;
  const hash = createHash('sha256');
  let bytes = 0;
  const write = async (text: string) => {
    hash.update(text);
    bytes += Buffer.byteLength(text);
    await sink.write(text);
  };
  const firstWritten = job.identifiers(job.first);
  // Dates alone or with their time: fixed by the first chunk, so that every chunk writes a column alike.
  const format = { excelSafe: job.excelSafe, header: false, dateOnly: dateOnlyColumns(firstWritten) };
  const writeTable = async (table: Table) => {
    for (let start = 0; start < table.rowCount; start += BLOCK_ROWS)
      await write(tableToCsv(table, { ...format, start, end: start + BLOCK_ROWS }));
  };
  await write(csvHeader(firstWritten, format));
  await writeTable(firstWritten);
  let formulas = countFormulaCells(firstWritten);
  let constraints = job.firstConstraints;
  let done = job.first.rowCount / values;
  job.onProgress?.(done * values, plan.total * values);
  for (let k = 1; done < plan.total; k++) {
    // Between chunks: a model whose sampling ignores the signal (AIM) still stops here.
    job.signal.throwIfAborted();
    const rows = Math.min(perChunk, plan.total - done);
    const { sampled, record } = await sampleConstrained(
      job.model,
      rows,
      { seed: chunkSeed(job.seed, k), condition: job.condition, signal: job.signal },
      job.constraints,
    );
    const chunk = job.identifiers(alignLevels(sampled.table, job.reference));
    formulas += countFormulaCells(chunk, false);
    constraints = constraints && record ? mergeConstraints(constraints, record) : constraints;
    await writeTable(chunk);
    done += rows;
    job.onProgress?.(done * values, plan.total * values);
  }
  const output: WrittenRows = {
    rows: plan.total * values,
    columns: firstWritten.columns.length,
    bytes,
    sha256: hash.digest('hex'),
    chunkRows: perChunk * values,
    evaluatedRows: job.first.rowCount,
    seconds: (performance.now() - started) / 1000,
  };
  return { output, firstWritten, formulas, constraints };
}

/** Two chunks' constraints records as one: the counts added, each share over every row drawn. */
export function mergeConstraints(a: ConstraintsRecord, b: ConstraintsRecord): ConstraintsRecord {
  const drawn = a.rows_drawn + b.rows_drawn;
  return {
    rows_drawn: drawn,
    rows_rejected: a.rows_rejected + b.rows_rejected,
    rows_unused: a.rows_unused + b.rows_unused,
    constraints: a.constraints.map((c, i) => {
      const broken = c.rows_broken + b.constraints[i].rows_broken;
      return { ...c, rows_broken: broken, held_share: Math.round((1 - broken / drawn) * 10_000) / 10_000 };
    }),
  };
}
