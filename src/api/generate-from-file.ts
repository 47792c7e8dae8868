/**
 * generate from a CSV or Parquet file out of core, as a library call (`gesalp generate FILE
 * --method aim --engine duckdb`): AIM fitted on counts DuckDB computes over the training side of
 * the file, rows written whole or a chunk at a time to `out` (or the `rows` hook), and, outside DP,
 * the metrics of evaluate on seeded samples of at most `privacy_sample` rows of each side against
 * the first chunk. Memory does not grow with the file: DuckDB scans it per query and spills past
 * `memory_limit`; what is held is the model, a chunk of rows and the samples.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lazyAtomicFile } from '../core/io/atomic-write.js';
import { tableToCsv } from '../core/io/write-csv.js';
import type { TableMetadata } from '../core/schema/metadata.js';
import type { Table } from '../core/table.js';
import type { EvaluationReport } from '../metrics/evaluation-report.js';
import { DEFAULT_PRIVACY_SAMPLE } from '../metrics/privacy-sample.js';
import type { AimParams } from '../models/aim/space.js';
import { evaluate } from './evaluate.js';
import type { ApiHooks } from './hooks.js';

export interface GenerateFromFileOptions {
  readonly method?: string;
  readonly params?: Partial<AimParams>;
  readonly rows?: number;
  readonly epsilon?: number;
  readonly delta?: number;
  readonly metadata?: TableMetadata;
  readonly seed?: number;
  readonly holdout_fraction?: number;
  /** Rows of each side the metrics read (default 20,000, SPEC section 3). */
  readonly privacy_sample?: number;
  /** DuckDB's memory limit, e.g. '1GB' (default: DuckDB's, 80 % of the machine's memory). */
  readonly memory_limit?: string;
  readonly out?: string;
  readonly excel_safe?: boolean;
}

export type GenerateFromFileHooks = ApiHooks & {
  readonly rows?: (text: string) => void | Promise<void>;
};

export interface GenerateFromFileOutput {
  readonly table: Table;
  readonly csv: string;
  readonly streamed: boolean;
  /** The JSON report: engine, split, output, privacy, the evaluation on samples. */
  readonly report: Record<string, unknown>;
  readonly evaluation: EvaluationReport | null;
}

export async function generateFromFile(
  input: string,
  options: GenerateFromFileOptions = {},
  hooks: GenerateFromFileHooks = {},
): Promise<GenerateFromFileOutput> {
  const { generateFromFile: generate } = await import('../pipeline/file-generate.js');
  const { usageError } = await import('../core/errors.js');
  if ((options.method ?? 'aim') !== 'aim')
    throw usageError(
      `method ${options.method} trains on rows in memory; the out-of-core engine fits aim only`,
      'Use method aim, or the in-memory engine.',
    );
  const started = performance.now();
  const seed = options.seed ?? 0;
  const cap = options.privacy_sample ?? DEFAULT_PRIVACY_SAMPLE;
  const out = options.out ? lazyAtomicFile(options.out) : undefined;
  const rowsSink = out ?? (hooks.rows ? { write: hooks.rows } : undefined);
  const sampleDir = await mkdtemp(join(tmpdir(), 'gesalp-samples-'));
  try {
    const result = await generate({
      path: input,
      params: options.params,
      rows: options.rows,
      epsilon: options.epsilon,
      delta: options.delta,
      metadata: options.metadata,
      seed,
      holdoutFraction: options.holdout_fraction ?? 0.2,
      evaluationRows: cap,
      sampleDir,
      memoryLimit: options.memory_limit,
      signal: hooks.signal,
      rowsSink,
      excelSafe: options.excel_safe,
    });
    const streamed = result.output.chunkRows !== null;
    if (out) {
      if (!streamed) await out.write(result.csv);
      await out.commit();
    }
    // Under DP the samples are private rows: their metrics are outside the guarantee, so none is reported here.
    let evaluation: EvaluationReport | null = null;
    if (options.epsilon === undefined) {
      const synthetic = join(sampleDir, 'synthetic-sample.csv');
      await writeFile(synthetic, tableToCsv(result.table));
      evaluation = await evaluate(
        result.samples.train,
        synthetic,
        { holdout: result.samples.holdout ?? undefined, seed, privacy_sample: cap },
        { signal: hooks.signal },
      );
    }
    const report = {
      report: 'generation',
      engine: 'duckdb',
      method: 'aim',
      input: { path: input, sha256: result.input.sha256 },
      columns: result.columns,
      parameters: { ...options.params },
      split: result.split,
      output: {
        path: options.out ?? null,
        rows: result.output.rows,
        sha256: result.output.sha256,
        chunk_rows: result.output.chunkRows,
        evaluated_rows: result.output.evaluatedRows,
      },
      evaluation_sample:
        evaluation === null
          ? null
          : { cap, train_rows: result.samples.train_rows, holdout_rows: result.samples.holdout_rows },
      privacy: result.privacy,
      evaluation,
      seconds: (performance.now() - started) / 1000,
    };
    return { table: result.table, csv: result.csv, streamed, report, evaluation };
  } finally {
    await out?.abort();
    await rm(sampleDir, { recursive: true, force: true });
  }
}
