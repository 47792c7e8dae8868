/** gesalp sample-db: a differentially private sample of a database table (SPEC section 7). */
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import {
  databaseConnection,
  makeStateDir,
  sqliteDatabase,
  stateFiles,
  withConnectionOptions,
  type ConnectionFlags,
} from './connection-flags.js';
import { usageError } from '../core/errors.js';
import { writeFileAtomic } from '../core/io/atomic-write.js';
import { readAuditKey } from '../sample-db/audit/audit-key.js';
import { CLIENTS, parseClient } from '../sample-db/connection.js';
import { parseBounds, parseDomains } from '../sample-db/request-checks.js';
import { columnWords, sampleDb, type SampleDbOptions as SampleDbRequest } from '../api/sample-db.js';
import { flagOf } from './flag-names.js';
import { Console, type CommonOptions, type Io } from './io.js';
import { integerOption, listOption, numberOption, positiveNumber, repeatOption, withCommonOptions } from './options.js';
import { checkOutputs, rowSink, verify, type RunFiles } from './sample-db-files.js';

interface SampleDbOptions extends CommonOptions, ConnectionFlags {
  readonly table?: string;
  readonly columns?: string[];
  readonly limit?: number;
  readonly fraction: number;
  readonly epsilon?: number;
  readonly delta?: number;
  readonly sensitive?: string[];
  readonly bounds?: string[];
  readonly domain?: string[];
  readonly timeout: number;
  readonly out?: string;
  readonly metadata?: string;
  readonly auditLog?: string;
  readonly ledger?: string;
  readonly budget?: number;
  readonly deltaBudget?: number;
  readonly minRows?: number;
  readonly dryRun?: boolean;
  readonly verifyAudit?: string;
  readonly auditKeyFile?: string;
  readonly raw?: boolean;
  readonly clamp?: boolean;
  readonly excelSafe?: boolean;
}

/** Sampling rates in (0, 1]; deltas in (0, 1), far below 1 / rows (the default is 1e-6 per table). */
const fractionOption = numberOption({ min: 0, max: 1, minOpen: true });
const deltaOption = numberOption({ min: 0, max: 1, minOpen: true, maxOpen: true });

export function sampleDbCommand(io: Io, setExit: (code: number) => void): Command {
  const command = withConnectionOptions(
    new Command('sample-db')
      .description('a differentially private sample of a database table, with an audit log')
      .addOption(new Option('--client <client>', 'database engine').choices([...CLIENTS])),
  )
    .option('--table <table>', 'table to sample (checked against the catalogue)')
    .option('--columns <columns>', 'columns to read (default: all)', listOption)
    .option('--limit <n>', 'at most this many rows', integerOption(1))
    .option('--fraction <f>', 'Bernoulli sampling rate, pushed down to the database', fractionOption, 1)
    .option('--epsilon <e>', 'privacy budget of this query, split across the sensitive columns', positiveNumber)
    .option(
      '--delta <d>',
      "this query's delta, in (0, 1), for estimating categorical domains and amplification by sampling (default 1e-6)",
      deltaOption,
    )
    .option(
      '--min-rows <n>',
      "a public lower bound on the table's rows: amplification by sampling is accounted for it (not read from the table)",
      integerOption(1),
    )
    .option('--sensitive <columns>', 'columns to protect with differential privacy', listOption)
    .option('--raw', 'release every column as stored, privatising nothing (recorded in the metadata and the audit log)')
    .option('--bounds <column=lo:hi>', 'public bounds of a sensitive numeric column (repeatable)', listOption)
    .option('--domain <column=a,b,c>', 'public categories of a sensitive categorical column (repeatable)', repeatOption)
    .option(
      '--clamp',
      'clamp each released numeric value to its bounds after the noise: post-processing, so no extra privacy cost (it pulls means towards the middle of the bounds)',
    )
    .option('--timeout <ms>', 'statement timeout', integerOption(1), 300000)
    .option('-o, --out <file>', 'write the rows as CSV here (default: stdout)')
    .option('--excel-safe', "prefix text cells a spreadsheet would run as a formula (=, +, -, @) with '")
    .option('--metadata <file>', 'write the query metadata (JSON) here')
    .option('--audit-log <file>', 'audit log (JSON lines, hash-chained, anchored beside the ledger)')
    .option('--audit-key-file <file>', 'key the audit chain with HMAC-SHA256 (a file only you can read)')
    .option('--ledger <file>', 'privacy budget ledger')
    .option(
      '--budget <epsilon>',
      'refuse (exit 5) a query that would take this table past this cumulative epsilon',
      positiveNumber,
    )
    .option(
      '--delta-budget <d>',
      'refuse (exit 5) a query that would take a table past this cumulative delta (default 1e-6)',
      deltaOption,
    )
    .option('--dry-run', 'print the SQL and the privacy accounting without reading rows')
    .option('--verify-audit <file>', 'check the hash chain of an audit log, and its end against the anchor, and exit');
  return withCommonOptions(command).action(async (options: SampleDbOptions, cmd: Command) => {
    setExit(await runSampleDb(io, options, cmd.getOptionValueSource('seed') === 'cli'));
  });
}

async function runSampleDb(io: Io, options: SampleDbOptions, seeded: boolean): Promise<number> {
  const console = new Console(io, options);
  const { ledger, auditLog } = await stateFiles(io, options);
  if (options.verifyAudit) return verify(console, options, ledger);
  if (!options.client) throw usageError('--client is required', `Choose one of ${CLIENTS.join(', ')}.`);
  if (!options.table) throw usageError('--table is required', 'Name the table to sample.');
  if (options.json && !options.out && !options.dryRun)
    throw usageError('--json prints the metadata on stdout, so the rows need -o FILE');
  const client = parseClient(options.client);
  const database = sqliteDatabase(client, options);
  await makeStateDir(io, options);
  const files = { ledger, auditLog, database };
  await checkOutputs(io, options, files);
  const request = await requestOf(io, options, seeded, client, files);
  const rows = await rowSink(io, options.dryRun ? undefined : options.out);
  // Ctrl-C stops the stream between rows, so what was released is charged and logged.
  const interrupt = new AbortController();
  const onInterrupt = () => interrupt.abort();
  process.on('SIGINT', onInterrupt);
  let result;
  try {
    result = await sampleDb(request, rows.sink, {
      signal: interrupt.signal,
      driverLog: options.debug ? (message) => io.stderr.write(`debug: ${message}\n`) : undefined,
    });
    await rows.finish();
  } catch (error) {
    await rows.abandon();
    throw error;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
  await printOutcome(io, console, options, result, auditLog);
  return 0;
}

/** The flags as the library's typed request; the files it names (password, CA, audit key) read here. */
async function requestOf(
  io: Io,
  options: SampleDbOptions,
  seeded: boolean,
  client: ReturnType<typeof parseClient>,
  { ledger, auditLog, database }: RunFiles,
): Promise<SampleDbRequest> {
  const auditKey = options.auditKeyFile ? await readAuditKey(resolve(io.cwd, options.auditKeyFile)) : undefined;
  return {
    connection: await databaseConnection(io, options, client, database, !options.dryRun),
    // runSampleDb refused a run without --table.
    table: options.table!,
    columns: options.columns,
    fraction: options.fraction,
    seed: seeded ? options.seed : undefined,
    limit: options.limit,
    epsilon: options.epsilon,
    delta: options.delta,
    sensitive: options.sensitive ?? [],
    bounds: parseBounds(options.bounds ?? []),
    domains: parseDomains(options.domain ?? []),
    raw: options.raw,
    clamp: options.clamp,
    timeout_ms: options.timeout,
    excel_safe: options.excelSafe,
    audit_log: auditLog,
    audit_key: auditKey,
    ledger,
    budget: options.budget,
    delta_budget: options.deltaBudget,
    min_rows: options.minRows,
    dry_run: options.dryRun,
  };
}

/** The metadata where asked, the summary line, and what each sensitive column's noise does, in flags' words. */
async function printOutcome(
  io: Io,
  console: Console,
  options: SampleDbOptions,
  result: Awaited<ReturnType<typeof sampleDb>>,
  auditLog: string,
): Promise<void> {
  for (const warning of result.warnings) console.warn(warning);
  // What each sensitive column's noise does, in flags' words: after a run and in a dry run alike.
  const words = columnWords(result.columns, { clamp: options.clamp === true }, flagOf);
  const json = `${JSON.stringify(result.metadata, null, 2)}\n`;
  if (options.metadata) await writeFileAtomic(resolve(io.cwd, options.metadata), json);
  if (options.json) console.data(json);
  else if (options.dryRun) console.data(`${result.sql}\n${json}`);
  else
    console.info(
      `sampled ${String(result.metadata.rows)} rows from ${String(result.metadata.table)}${options.out ? ` into ${options.out}` : ''}; audit log ${auditLog}`,
    );
  if (options.dryRun && words.lines.length)
    console.info('dry run (no rows read, nothing charged); per sensitive column:');
  for (const line of words.lines) console.info(`  ${line}`);
  for (const warning of words.warnings) console.warn(warning);
}
