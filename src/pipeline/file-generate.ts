/**
 * `generate FILE --method aim --engine duckdb` as a function: AIM fitted on counts DuckDB computes
 * over the training side of the file (out of core: DuckDB holds it, spilling to disk; gesalp never does),
 * rows sampled and written as `generate --client` writes them (database-rows.ts: the first chunk,
 * then chunk after chunk past CHUNK_ROWS), and seeded samples of the training and holdout sides
 * written as CSV for the caller to evaluate against the first chunk (SPEC section 3's cap). The
 * split is the in-memory one (file-split.ts), recorded as generate records it, so that
 * `evaluate --split` rebuilds it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { inputError } from '../core/errors.js';
import type { Dialect, DialectRequest } from '../core/io/dialect.js';
import type { Table } from '../core/table.js';
import { openFileStatistics, type FileStatistics } from '../statistics/duckdb-source.js';
import { withFileLevels } from '../statistics/file-levels.js';
import { sideCounts, writeSideSample, type FileSplit, type SideCounts } from '../statistics/file-split.js';
import type { WrittenRows } from './chunked-output.js';
import { firstChunk, writeDatabaseRows } from './database-rows.js';
import { fileIdentifiers, type FileIdentifiers } from './file-identifiers.js';
import { fileRows } from './file-rows.js';
import { rowsPlan } from './output-rows.js';
import type { IdentifierRecord } from './identifier-columns.js';
import type { PrivacyRecord } from './privacy-record.js';
import { fitSourceAim, sourceDomains, type SourceAim, type SourceRunRequest } from './source-aim.js';
import { sourcePrivacyRecord } from './source-privacy-record.js';
import { SPLIT_RULE, type SplitRecord } from './split-record.js';

/** Rows to sample default to as many as the input (under DP, as declared or released: file-rows.ts). */
export interface FileGenerateRequest extends SourceRunRequest {
  readonly path: string;
  /** The split's key (default: the seed). */
  readonly splitKey?: number;
  readonly holdoutFraction: number;
  /** Rows of each side read back for the evaluation (SPEC section 3's privacy sample). */
  readonly evaluationRows: number;
  /** Where the side samples are written (a folder the caller removes). */
  readonly sampleDir: string;
  /** DuckDB's memory limit, past which it spills to disk. */
  readonly memoryLimit?: string;
  /** Under DP: also the exact split record and the file's hash, for the private report (outside the guarantee). */
  readonly privateReport?: boolean;
  /** Detect identifier columns (default true; declared ones are set aside either way). */
  readonly idDetection?: boolean;
  readonly warn?: (text: string) => void;
  /** The CSV dialect asked for; the rest is sniffed as gesalp's reader sniffs it (under DP from the header alone). */
  readonly dialect?: DialectRequest;
}

export interface SideSamples {
  readonly train: string;
  readonly holdout: string | null;
  readonly train_rows: number;
  readonly holdout_rows: number;
  readonly cap: number;
}

export interface FileGenerateResult {
  readonly table: Table;
  readonly csv: string;
  readonly output: WrittenRows;
  readonly fit: SourceAim;
  readonly split: SplitRecord;
  /** Under DP with privateReport: the exact split record (counts and the input's hash) for the private report. */
  readonly privateSplit: SplitRecord | null;
  readonly samples: SideSamples;
  /** The report's privacy section (null without DP). */
  readonly privacy: PrivacyRecord | null;
  readonly columns: string[];
  /** The columns left out of training: identifiers and personal data, declared or detected. */
  readonly identifiers: IdentifierRecord[];
  /** What was said of them (the terminal's warnings). */
  readonly said: string[];
  /** The file: its size and hash outside DP (null under DP: they would fingerprint the private rows). */
  readonly input: { readonly path: string; readonly bytes: number | null; readonly sha256: string | null };
  /** How a CSV file was read (undefined for Parquet). */
  readonly dialect: Dialect | undefined;
  /** Seconds: fitting (statistics and rounds), sampling the first chunk, the chunks after it. */
  readonly seconds: { readonly train: number; readonly sample: number; readonly chunks: number };
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(piece as Buffer);
  return hash.digest('hex');
}

export async function generateFromFile(request: FileGenerateRequest): Promise<FileGenerateResult> {
  const privateRun = request.epsilon !== undefined;
  const split: FileSplit = { seed: request.splitKey ?? request.seed, fraction: request.holdoutFraction, side: 'train' };
  // The header alone names the columns; the split's content is over the columns learned.
  const reading = { dialect: request.dialect, headerOnly: privateRun, memoryLimit: request.memoryLimit, threads: 1 };
  // The identifiers are set aside before the split, whose content is over the columns learned (as in memory).
  const header = await openFileStatistics(request.path, reading);
  let identifiers: FileIdentifiers;
  try {
    identifiers = await fileIdentifiers(header, {
      metadata: request.metadata,
      detect: request.idDetection ?? true,
      privateRun,
      rows: request.evaluationRows,
      sampleDir: request.sampleDir,
    });
  } finally {
    await header.close();
  }
  for (const line of identifiers.said) request.warn?.(line);
  const aside = new Set(identifiers.records.map((r) => r.column));
  const columns = header.columns.map((c) => c.name).filter((name) => !aside.has(name));
  const source = await openFileStatistics(request.path, { ...reading, columns, split });
  try {
    // Exact counts are a release outside the budget: under DP the record holds none (SPEC section 8).
    const counts = privateRun ? null : await sideCounts(source.connection, split);
    if (counts && counts.train < 2)
      throw inputError(
        `${request.path} has ${counts.rows} rows: too few to train on after keeping ${counts.holdout} for the holdout`,
        'Give a table with more rows, or a smaller holdout fraction.',
      );
    const metadata = privateRun ? request.metadata : await withFileLevels(source, request.metadata);
    // The domains are checked (a drafted metadata file refused under DP) before anything is released.
    const statistics = await sourceDomains(source, { ...request, metadata, delta: 0 });
    // Under DP: the training rows declared or released, and the delta set against them as in memory.
    const rows = privateRun ? await fileRows(source, { ...request, epsilon: request.epsilon!, metadata }) : null;
    const fitRequest = {
      ...request,
      metadata,
      epsilon: rows?.release ? request.epsilon! - rows.release.epsilon : request.epsilon,
      // Outside DP nothing reads delta.
      delta: rows?.delta ?? 0,
    };
    const fitStarted = performance.now();
    const fit = await fitSourceAim(source, statistics, fitRequest);
    const trainSeconds = (performance.now() - fitStarted) / 1000;
    // No model is saved from this path: more rows come from another run.
    const planRows = (rows: number) =>
      rowsPlan(
        { rowsSink: request.rowsSink },
        { rows, columns: columns.length },
        'run again with another seed for more',
      );
    const job = {
      model: fit.aim,
      plan: planRows(request.rows ?? counts?.rows ?? rows!.inputRows),
      seed: request.seed,
      sink: request.rowsSink,
      excelSafe: request.excelSafe,
      signal: request.signal,
    };
    const sampleStarted = performance.now();
    const first = await firstChunk(job);
    const sampleSeconds = (performance.now() - sampleStarted) / 1000;
    request.signal?.throwIfAborted();
    const { csv, output } = await writeDatabaseRows(job, first);
    const samples = await sideSamples(source, columns, split, request);
    const exact = privateRun && request.privateReport;
    const sha256 = !privateRun || exact ? await fileSha256(request.path) : null;
    // The private report's record: exact, as the run read the file; never part of a DP release.
    const privateSplit = exact ? splitRecord(split, await sideCounts(source.connection, split), sha256) : null;
    return {
      table: first,
      csv,
      output,
      fit,
      split: splitRecord(split, counts, privateRun ? null : sha256),
      privateSplit,
      samples,
      privacy: rows && sourcePrivacyRecord(fit, { epsilon: request.epsilon!, columns, rows }),
      columns,
      identifiers: identifiers.records,
      said: identifiers.said,
      input: {
        path: request.path,
        bytes: privateRun ? null : (await stat(request.path)).size,
        sha256: privateRun ? null : sha256,
      },
      dialect: source.dialect,
      seconds: { train: trainSeconds, sample: sampleSeconds, chunks: output.seconds },
    };
  } finally {
    await source.close();
  }
}

async function sideSamples(
  source: FileStatistics,
  columns: readonly string[],
  split: FileSplit,
  request: FileGenerateRequest,
): Promise<SideSamples> {
  const sample = { rows: request.evaluationRows, seed: request.seed };
  const train = join(request.sampleDir, 'training-sample.csv');
  const holdout = join(request.sampleDir, 'holdout-sample.csv');
  const trainRows = await writeSideSample(source.connection, columns, split, 'train', sample, train);
  const holdoutRows = await writeSideSample(source.connection, columns, split, 'holdout', sample, holdout);
  return {
    train,
    holdout: holdoutRows ? holdout : null,
    train_rows: trainRows,
    holdout_rows: holdoutRows,
    cap: request.evaluationRows,
  };
}

const splitRecord = (split: FileSplit, counts: SideCounts | null, sha256: string | null): SplitRecord => ({
  rule: SPLIT_RULE,
  seed: split.seed,
  fraction: split.fraction,
  input_sha256: sha256,
  rows: counts?.rows ?? null,
  train_rows: counts?.train ?? null,
  holdout_rows: counts?.holdout ?? null,
  validation: null,
});
