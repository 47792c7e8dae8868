/**
 * generate --client: synthetic rows from a database table that is never exported. The flags that
 * name the database (sample-db's: --client, --connection or --host/--port/--database/--user, the
 * password only from --password-env, --password-file or a prompt, --ssl, --ssl-ca), the table and
 * its columns, the statement timeout, and sample-db's audit log and budget ledger; then one call,
 * generateFromDatabase. generate.ts adds the options with withDatabaseSourceOptions and hands a run
 * that names --client to runDatabaseGenerate.
 */
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
import { generateFromDatabase } from '../api/generate-from-database.js';
import { usageError } from '../core/errors.js';
import { formatCount } from '../core/text/format.js';
import { checkOutputPaths } from '../core/io/output-guard.js';
import { REGISTRY } from '../models/registry.js';
import { readAuditKey } from '../sample-db/audit/audit-key.js';
import { CLIENTS, parseClient } from '../sample-db/connection.js';
import { runFlags } from './generate-flags.js';
import { stdoutRows } from './generate-output.js';
import type { GenerateOptions } from './generate-options.js';
import { Console, type Io } from './io.js';
import { readMetadata } from './metadata-flags.js';
import { integerOption, listOption, numberOption, positiveNumber } from './options.js';

export interface DatabaseSourceFlags extends ConnectionFlags {
  readonly table?: string;
  readonly columns?: string[];
  readonly timeout: number;
  readonly auditLog?: string;
  readonly auditKeyFile?: string;
  readonly ledger?: string;
  readonly budget?: number;
  readonly deltaBudget?: number;
}

const deltaOption = numberOption({ min: 0, max: 1, minOpen: true, maxOpen: true });

export function withDatabaseSourceOptions(command: Command): Command {
  return withConnectionOptions(
    command.addOption(
      new Option(
        '--client <client>',
        'read a database table instead of INPUT (only counts leave it; --method aim)',
      ).choices([...CLIENTS]),
    ),
  )
    .option('--table <table>', 'with --client: the table to model (checked against the catalogue)')
    .option('--columns <columns>', 'with --client: the columns to model (default: all)', listOption)
    .option('--timeout <ms>', 'with --client: statement timeout of each query', integerOption(1), 300000)
    .option('--audit-log <file>', 'with --client: audit log (JSON lines, hash-chained, anchored beside the ledger)')
    .option('--audit-key-file <file>', 'with --client: key the audit chain with HMAC-SHA256')
    .option('--ledger <file>', 'with --client: privacy budget ledger (shared with sample-db)')
    .option(
      '--budget <epsilon>',
      'with --client: refuse (exit 5) a run that would take the table past this epsilon',
      positiveNumber,
    )
    .option(
      '--delta-budget <d>',
      'with --client: refuse (exit 5) past this cumulative delta (default 1e-6)',
      deltaOption,
    );
}

/** Whether the run reads a database table (then INPUT is not given). */
export const readsDatabase = (options: DatabaseSourceFlags): boolean => options.client !== undefined;

export async function runDatabaseGenerate(
  io: Io,
  input: string | undefined,
  options: GenerateOptions & DatabaseSourceFlags,
  seedGiven: boolean,
): Promise<number> {
  const console = new Console(io, options);
  if (input !== undefined)
    throw usageError('give INPUT or --client, not both', 'Drop INPUT to read the table in the database.');
  if (!options.table) throw usageError('--table is required with --client', 'Name the table to model.');
  const method = options.method === 'auto' ? 'aim' : options.method;
  if (method !== 'aim')
    throw usageError(
      `--method ${options.method} trains on rows, which --client does not export`,
      'Use --method aim (it needs only counts), or draw rows with gesalp sample-db and generate from that file.',
    );
  const client = parseClient(options.client!);
  const database = sqliteDatabase(client, options);
  await makeStateDir(io, options);
  const { ledger, auditLog } = await stateFiles(io, options);
  const out = options.out ?? `${options.table.replace(/[^\w.-]+/g, '_')}.synthetic.csv`;
  await checkOutputPaths(
    [
      { role: '--audit-log', path: auditLog },
      { role: '--ledger', path: ledger },
      ...(database ? [{ role: '--connection', path: resolve(io.cwd, database) }] : []),
      ...(options.schema ? [{ role: '--schema', path: options.schema }] : []),
    ],
    out === '-' ? [] : [{ role: '--out', path: out }],
    io.cwd,
  );
  const privateRun = options.epsilon !== undefined;
  const metadata = readMetadata(options, privateRun, io.cwd)?.value;
  const params = Object.fromEntries(
    runFlags(options, REGISTRY.get('aim').space, 'aim').overrides.map((p) => [p.name, p.value]),
  );
  const connection = await databaseConnection(io, options, client, database, true);
  const interrupt = new AbortController();
  const onInterrupt = () => interrupt.abort();
  process.on('SIGINT', onInterrupt);
  let result;
  try {
    result = await generateFromDatabase(
      {
        connection,
        table: options.table,
        columns: options.columns,
        method,
        params,
        rows: options.rows,
        epsilon: options.epsilon,
        delta: options.delta,
        metadata,
        seed: seedGiven ? options.seed : undefined,
        timeout_ms: options.timeout,
        audit_log: auditLog,
        audit_key: options.auditKeyFile ? await readAuditKey(resolve(io.cwd, options.auditKeyFile)) : undefined,
        ledger,
        budget: options.budget,
        delta_budget: options.deltaBudget,
        // The library writes the rows: whole, or past CHUNK_ROWS a chunk at a time as they are sampled.
        ...(out !== '-' ? { out: resolve(io.cwd, out) } : {}),
        excel_safe: options.excelSafe,
      },
      {
        signal: interrupt.signal,
        driverLog: options.debug ? (message) => io.stderr.write(`debug: ${message}\n`) : undefined,
        rows: stdoutRows(io),
      },
    );
  } finally {
    process.off('SIGINT', onInterrupt);
  }
  if (out === '-' && !result.streamed) io.stdout.write(result.csv);
  if (options.json) console.data(JSON.stringify(result.metadata, null, 2));
  else {
    const m = result.metadata as {
      table: string;
      statistics_queries: number;
      release: string;
      rows: number;
      chunk_rows: number | null;
    };
    const chunks = m.chunk_rows === null ? '' : `, ${formatCount(m.chunk_rows)} at a time`;
    console.info(`read ${m.table}: ${m.statistics_queries} aggregate queries, no rows exported`);
    console.info(`wrote ${formatCount(m.rows)} rows to ${out}${chunks} (${m.release})`);
    console.info(`audit log: ${auditLog}; ledger: ${ledger}`);
  }
  return 0;
}
