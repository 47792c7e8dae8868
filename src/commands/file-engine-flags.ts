/**
 * generate --engine duckdb: a CSV or Parquet file generated from out of core (the file is scanned
 * by DuckDB per query, never read into memory; --method aim). The flags, then one call,
 * generateFromFile; generate.ts adds the options with withFileEngineOptions and hands a run that
 * names --engine duckdb to runFileGenerate.
 */
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { generateFromFile } from '../api/generate-from-file.js';
import { usageError } from '../core/errors.js';
import { checkOutputPaths } from '../core/io/output-guard.js';
import { formatCount } from '../core/text/format.js';
import { DEFAULT_PRIVACY_SAMPLE } from '../metrics/privacy-sample.js';
import { REGISTRY } from '../models/registry.js';
import { runFlags } from './generate-flags.js';
import { stdoutRows } from './generate-output.js';
import { outputPaths, type GenerateOptions } from './generate-options.js';
import { Console, type Io } from './io.js';
import { readMetadata } from './metadata-flags.js';
import { integerOption } from './options.js';

export const ENGINES = ['memory', 'duckdb'] as const;

export interface FileEngineFlags {
  readonly engine: (typeof ENGINES)[number];
  readonly memoryLimit?: string;
  readonly privacySample: number;
}

export function withFileEngineOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--engine <engine>',
        'memory: read the rows in; duckdb: fit aim on counts DuckDB computes over the file, out of core',
      )
        .choices([...ENGINES])
        .default('memory'),
    )
    .option('--memory-limit <size>', "with --engine duckdb: DuckDB's memory limit (e.g. 1GB), past which it spills")
    .option(
      '--privacy-sample <n>',
      'with --engine duckdb: rows of each side of the split the metrics read',
      integerOption(10),
      DEFAULT_PRIVACY_SAMPLE,
    );
}

export const readsOutOfCore = (options: FileEngineFlags): boolean => options.engine === 'duckdb';

export async function runFileGenerate(
  io: Io,
  input: string,
  options: GenerateOptions & FileEngineFlags,
  seedGiven: boolean,
): Promise<number> {
  const console = new Console(io, options);
  const method = options.method === 'auto' ? 'aim' : options.method;
  if (method !== 'aim')
    throw usageError(
      `--method ${options.method} trains on rows in memory; --engine duckdb fits aim on counts`,
      'Use --method aim, or drop --engine duckdb.',
    );
  if (input === '-') throw usageError('--engine duckdb reads a file, not stdin', 'Name the CSV or Parquet file.');
  const paths = outputPaths(io, input, options);
  await checkOutputPaths(
    [
      { role: 'INPUT', path: resolve(io.cwd, input) },
      ...(options.schema ? [{ role: '--schema', path: options.schema }] : []),
    ],
    [...(paths.out === '-' ? [] : [{ role: '--out', path: paths.out }]), { role: '--report', path: paths.report }],
    io.cwd,
  );
  const privateRun = options.epsilon !== undefined;
  const at = (path: string | undefined) => (path ? resolve(io.cwd, path) : undefined);
  const metadata = readMetadata(
    { ...options, schema: at(options.schema), publicBounds: at(options.publicBounds) },
    privateRun,
  )?.value;
  const params = Object.fromEntries(
    runFlags(options, REGISTRY.get('aim').space, 'aim').overrides.map((p) => [p.name, p.value]),
  );
  const interrupt = new AbortController();
  const onInterrupt = () => interrupt.abort();
  process.on('SIGINT', onInterrupt);
  let result;
  try {
    result = await generateFromFile(
      resolve(io.cwd, input),
      {
        method,
        params,
        rows: options.rows,
        epsilon: options.epsilon,
        delta: options.delta,
        metadata,
        seed: seedGiven ? options.seed : undefined,
        holdout_fraction: options.holdoutFraction,
        privacy_sample: options.privacySample,
        memory_limit: options.memoryLimit,
        ...(paths.out !== '-' ? { out: resolve(io.cwd, paths.out) } : {}),
        excel_safe: options.excelSafe,
      },
      { signal: interrupt.signal, rows: stdoutRows(io) },
    );
  } finally {
    process.off('SIGINT', onInterrupt);
  }
  if (paths.out === '-' && !result.streamed) io.stdout.write(result.csv);
  const { writeFile } = await import('node:fs/promises');
  await writeFile(resolve(io.cwd, paths.report), JSON.stringify(result.report, null, 2) + '\n');
  if (options.json) console.data(JSON.stringify(result.report, null, 2));
  else {
    const r = result.report as { output: { rows: number; chunk_rows: number | null } };
    const sample = result.report.evaluation_sample as { train_rows: number; holdout_rows: number } | null;
    const chunks = r.output.chunk_rows === null ? '' : `, ${formatCount(r.output.chunk_rows)} at a time`;
    console.info(`engine: duckdb (out of core; aim fitted on counts over the training side)`);
    console.info(`wrote ${formatCount(r.output.rows)} rows to ${paths.out}${chunks}`);
    if (result.evaluation && sample) {
      const metrics = result.evaluation.metrics as Record<string, { value: number | null }>;
      const line = ['ks_mean', 'tvd_mean', 'corr_delta', 'dup_rate', 'mia_auc']
        .map((id) => `${id} ${metrics[id]?.value?.toFixed(4) ?? '-'}`)
        .join(', ');
      console.info(
        `metrics on samples (${formatCount(sample.train_rows)} training, ${formatCount(sample.holdout_rows)} holdout rows): ${line}`,
      );
    }
    console.info(`report: ${paths.report}`);
  }
  return 0;
}
