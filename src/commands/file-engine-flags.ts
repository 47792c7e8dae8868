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

/**
 * The flags `--engine duckdb` honours (commander's attribute names); every other flag given on the
 * command line is refused rather than ignored, so a flag added to generate later is refused here
 * until this path learns it. --max-attempts 1 and --backend auto|cpu ask for what the path does.
 */
const HONOURED = new Set([
  'method',
  'out',
  'rows',
  'nIter',
  'batchSize',
  'lr',
  'param',
  'schema',
  'holdoutFraction',
  'report',
  'excelSafe',
  'engine',
  'memoryLimit',
  'privacySample',
  'epsilon',
  'delta',
  'publicBounds',
  'json',
  'quiet',
  'color',
  'seed',
  'debug',
]);

/** Why a refused flag does not apply out of core (the rest: it needs the rows in memory). */
const WHY: Readonly<Record<string, string>> = {
  maxAttempts: 'one AIM fit runs; attempts retrain on rows in memory',
  backend: 'aim on counts runs no network (its backend is cpu)',
  threads: 'the fit runs on DuckDB with one thread',
  condition: 'conditional sampling is not built for the model fitted on counts',
  saveModel: 'the model fitted on counts is not saved yet',
  loadModel: 'it fits a new model on the file',
  initFrom: 'it fits aim from zero on the file',
  eval: 'it applies to --load-model',
  keepId: 'identifier values are not rewritten out of core',
  idDetection: 'identifiers are not detected from values out of core (only --schema declarations are left out)',
  discrete: "the columns' kinds come from DuckDB's types and the --schema file",
  continuous: "the columns' kinds come from DuckDB's types and the --schema file",
  delimiter: 'DuckDB sniffs the file itself',
  quote: 'DuckDB sniffs the file itself',
  decimal: 'DuckDB sniffs the file itself',
  encoding: 'DuckDB sniffs the file itself',
};

/** Flags that only a database source (--client) reads. */
const DATABASE_FLAGS = new Set([
  'connection',
  'host',
  'port',
  'database',
  'user',
  'passwordEnv',
  'passwordFile',
  'ssl',
  'sslCa',
  'table',
  'columns',
  'timeout',
  'auditLog',
  'auditKeyFile',
  'ledger',
  'budget',
  'deltaBudget',
]);

const given = (command: Command, attribute: string): boolean => command.getOptionValueSource(attribute) === 'cli';

/** The flag as the user wrote it (its long form, --no-x for a negated one). */
const flagName = (command: Command, attribute: string): string =>
  command.options.find((o) => o.attributeName() === attribute)?.long ?? attribute;

/**
 * Refuses (usage, exit 2), before anything is read, every flag given on the command line that the
 * chosen engine does not honour: with --engine duckdb every flag outside HONOURED and --client;
 * without it, the flags that only --engine duckdb reads. Defaults never count.
 */
export function checkFileEngineFlags(command: Command, options: FileEngineFlags): void {
  if (!readsOutOfCore(options)) {
    for (const attribute of ['memoryLimit', 'privacySample'])
      if (given(command, attribute))
        throw usageError(
          `${flagName(command, attribute)} applies to --engine duckdb only`,
          `Add --engine duckdb --method aim to generate out of core, or drop ${flagName(command, attribute)}.`,
        );
    return;
  }
  const values = options as unknown as Record<string, unknown>;
  if (given(command, 'client'))
    throw usageError(
      '--engine duckdb reads a file; --client reads a database table where it lives',
      'Use one of them: --client with --table for a database, or INPUT with --engine duckdb for a file.',
    );
  for (const option of command.options) {
    const attribute = option.attributeName();
    if (HONOURED.has(attribute) || !given(command, attribute)) continue;
    if (attribute === 'maxAttempts' && values.maxAttempts === 1) continue;
    if (attribute === 'backend' && (values.backend === 'auto' || values.backend === 'cpu')) continue;
    const flag = flagName(command, attribute);
    if (DATABASE_FLAGS.has(attribute))
      throw usageError(`${flag} applies to --client only`, `Drop ${flag}; --engine duckdb reads INPUT.`);
    throw usageError(
      `${flag} is not honoured by --engine duckdb: ${WHY[attribute] ?? 'it needs the rows in memory'}`,
      `Drop ${flag}, or drop --engine duckdb to read the rows into memory.`,
    );
  }
}

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
