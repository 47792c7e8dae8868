/**
 * `generate FILE --method aim --engine duckdb` as a function: AIM fitted on counts DuckDB computes
 * over the training side of the file (out of core: the file is scanned per query, never held),
 * rows sampled and written as `generate --client` writes them (database-rows.ts: the first chunk,
 * then chunk after chunk past CHUNK_ROWS), and seeded samples of the training and holdout sides
 * written as CSV for the caller to evaluate against the first chunk (SPEC section 3's cap). The
 * split is the in-memory one (file-split.ts), recorded as generate records it, so that
 * `evaluate --split` rebuilds it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../core/errors.js';
import type { TableMetadata } from '../core/schema/metadata.js';
import type { Table } from '../core/table.js';
import type { AimParams } from '../models/aim/space.js';
import { openFileStatistics, type FileStatistics } from '../statistics/duckdb-source.js';
import { withFileLevels } from '../statistics/file-levels.js';
import { sideCounts, writeSideSample, type FileSplit, type SideCounts } from '../statistics/file-split.js';
import type { RowSink, WrittenRows } from './chunked-output.js';
import { firstChunk, writeDatabaseRows } from './database-rows.js';
import { DEFAULT_DATABASE_DELTA } from './database-generate.js';
import { rowsPlan } from './output-rows.js';
import { fitSourceAim, sourceDomains, sourcePrivacy, type SourceAim } from './source-aim.js';
import { SPLIT_RULE, type SplitRecord } from './split-record.js';

export interface FileGenerateRequest {
  readonly path: string;
  readonly params?: Partial<AimParams>;
  /** Rows to sample; absent: the model's estimate of the training side's rows. */
  readonly rows?: number;
  readonly epsilon?: number;
  readonly delta?: number;
  readonly metadata?: TableMetadata;
  readonly seed: number;
  /** The split's key (default: the seed). */
  readonly splitKey?: number;
  readonly holdoutFraction: number;
  /** Rows of each side read back for the evaluation (SPEC section 3's privacy sample). */
  readonly evaluationRows: number;
  /** Where the side samples are written (a folder the caller removes). */
  readonly sampleDir: string;
  /** DuckDB's memory limit, past which it spills to disk. */
  readonly memoryLimit?: string;
  readonly signal?: AbortSignal;
  readonly rowsSink?: RowSink;
  readonly excelSafe?: boolean;
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
  readonly samples: SideSamples;
  readonly privacy: ReturnType<typeof sourcePrivacy>;
  readonly columns: string[];
  readonly input: { readonly path: string; readonly sha256: string | null };
}

/** The columns AIM learns: all but those the metadata file declares identifiers or personal data. */
export function modelColumns(all: readonly string[], metadata: TableMetadata | undefined): string[] {
  return all.filter((name) => {
    const kind = metadata?.columns.get(name)?.kind;
    return kind !== 'identifier' && kind !== 'pii';
  });
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
  const header = await openFileStatistics(request.path, { memoryLimit: request.memoryLimit, threads: 1 });
  const all = header.columns.map((c) => c.name);
  await header.close();
  const columns = modelColumns(all, request.metadata);
  const source = await openFileStatistics(request.path, {
    columns,
    split,
    memoryLimit: request.memoryLimit,
    threads: 1,
  });
  try {
    // Exact counts are a release outside the budget: under DP the record holds none (SPEC section 8).
    const counts = privateRun ? null : await sideCounts(source.connection, split);
    if (counts && counts.train < 2)
      throw inputError(
        `${request.path} has ${counts.rows} rows: too few to train on after keeping ${counts.holdout} for the holdout`,
        'Give a table with more rows, or a smaller holdout fraction.',
      );
    const metadata = privateRun ? request.metadata : await withFileLevels(source, request.metadata);
    const fitRequest = { ...request, metadata, delta: request.delta ?? DEFAULT_DATABASE_DELTA };
    const statistics = await sourceDomains(source, fitRequest);
    const fit = await fitSourceAim(source, statistics, fitRequest);
    const planRows = (rows: number) => rowsPlan({ rowsSink: request.rowsSink }, { rows, columns: columns.length });
    const job = {
      model: fit.aim,
      plan: planRows(request.rows ?? Math.max(1, Math.round(fit.aim.graphicalModel().total))),
      seed: request.seed,
      sink: request.rowsSink,
      excelSafe: request.excelSafe,
      signal: request.signal,
    };
    const first = await firstChunk(job);
    request.signal?.throwIfAborted();
    const { csv, output } = await writeDatabaseRows(job, first);
    const samples = await sideSamples(source, columns, split, request);
    const sha256 = privateRun ? null : await fileSha256(request.path);
    return {
      table: first,
      csv,
      output,
      fit,
      split: splitRecord(split, counts, sha256),
      samples,
      privacy: sourcePrivacy(fit, request.epsilon),
      columns,
      input: { path: request.path, sha256 },
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
