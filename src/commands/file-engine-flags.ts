/**
 * generate --engine duckdb: a CSV or Parquet file generated from out of core (the file is scanned
 * by DuckDB per query, never read into memory; --method aim). Its flags, and the one check of which
 * of generate's flags it honours; generate.ts adds the options with withFileEngineOptions, calls
 * checkFileEngineFlags, and hands a run that names --engine duckdb to runFileGenerate (file-engine-run.ts).
 */
import { Command, Option } from 'commander';
import { usageError } from '../core/errors.js';
import { DEFAULT_PRIVACY_SAMPLE } from '../metrics/privacy-sample.js';
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
 * until this path learns it. --max-attempts 1, --backend auto|cpu, --decimal . and --encoding utf-8
 * ask for what the path does.
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
  'excelSafe',
  'engine',
  'memoryLimit',
  'privacySample',
  'epsilon',
  'delta',
  'publicBounds',
  'idDetection',
  'privateReport',
  'delimiter',
  'quote',
  'report',
  'html',
  'heatmapColumns',
  'threshold',
  'config',
  'allGreen',
  'target',
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
  discrete: "the columns' kinds come from DuckDB's types and the --schema file",
  continuous: "the columns' kinds come from DuckDB's types and the --schema file",
  decimal: "DuckDB's text of 1,5 is not the number the in-memory reader hashes for the split",
  encoding: 'DuckDB reads UTF-8 only',
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
    if (
      (attribute === 'decimal' && values.decimal === '.') ||
      (attribute === 'encoding' && values.encoding === 'utf-8')
    )
      continue;
    const flag = flagName(command, attribute);
    if (DATABASE_FLAGS.has(attribute))
      throw usageError(`${flag} applies to --client only`, `Drop ${flag}; --engine duckdb reads INPUT.`);
    throw usageError(
      `${flag} is not honoured by --engine duckdb: ${WHY[attribute] ?? 'it needs the rows in memory'}`,
      `Drop ${flag}, or drop --engine duckdb to read the rows into memory.`,
    );
  }
}

/** A file past this share of the machine's memory is worth reading out of core (the rows in memory take about its size). */
const LARGE_FILE_SHARE = 1 / 8;

/**
 * For a file read into memory: the warning that suggests --engine duckdb, when the file is past
 * LARGE_FILE_SHARE of the machine's memory (whatever the method: only aim fits on counts).
 */
export function largeFileHint(bytes: number, memoryBytes: number): string | undefined {
  if (bytes <= memoryBytes * LARGE_FILE_SHARE) return undefined;
  const gb = (n: number) => `${(n / 2 ** 30).toFixed(1)} GB`;
  return `the input is ${gb(bytes)} on a machine of ${gb(memoryBytes)}: reading it into memory may run out of it; --method aim --engine duckdb fits on counts DuckDB computes over the file, out of core`;
}
