/** gesalp sample-db: a differentially private sample of a database table (SPEC section 7). */
import { createWriteStream } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { GesalpError, inputError, usageError } from '../core/errors.js';
import { writeFileAtomic } from '../core/io/atomic-write.js';
import { verifyAudit } from '../privacy/audit-log.js';
import { CLIENTS, parseClient } from '../privacy/db/connection.js';
import { parseBounds, parseDomains } from '../privacy/db/privacy-plan.js';
import type { RowSink } from '../privacy/db/sample-db.js';
import { Console, type CommonOptions, type Io } from './io.js';
import { integerOption, listOption, repeatOption, withCommonOptions } from './options.js';
import { resolvePassword } from './password.js';
import { stateDir } from './state-dir.js';

interface SampleDbOptions extends CommonOptions {
  readonly client?: string;
  readonly connection?: string;
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
  readonly user?: string;
  readonly passwordEnv?: string;
  readonly passwordFile?: string;
  readonly ssl?: boolean;
  readonly sslCa?: string;
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
  readonly dryRun?: boolean;
  readonly verifyAudit?: string;
}

const positiveNumber = (text: string): number => {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new InvalidArgumentError(`expected a positive number, got '${text}'.`);
  return value;
};

const fractionOption = (text: string): number => {
  const value = Number(text);
  if (!(value > 0 && value <= 1)) throw new InvalidArgumentError(`expected a fraction in (0, 1], got '${text}'.`);
  return value;
};

export function sampleDbCommand(io: Io, setExit: (code: number) => void): Command {
  const command = new Command('sample-db')
    .description('a differentially private sample of a database table, with an audit log')
    .addOption(new Option('--client <client>', 'database engine').choices([...CLIENTS]))
    .option(
      '--connection <url>',
      'postgres://user@host:port/db, mysql://user@host:port/db, or a SQLite file (no password here)',
    )
    .option('--host <host>', 'database host')
    .option('--port <port>', 'database port', integerOption(1))
    .option('--database <name>', 'database name')
    .option('--user <name>', 'database user')
    .option('--password-env <var>', 'read the password from this environment variable')
    .option('--password-file <file>', 'read the password from this file')
    .option('--ssl', 'connect with TLS, verifying the server certificate')
    .option('--ssl-ca <file>', 'CA certificate (PEM) to verify the server with; implies --ssl')
    .option('--table <table>', 'table to sample (checked against the catalogue)')
    .option('--columns <columns>', 'columns to read (default: all)', listOption)
    .option('--limit <n>', 'at most this many rows', integerOption(1))
    .option('--fraction <f>', 'Bernoulli sampling rate, pushed down to the database', fractionOption, 1)
    .option('--epsilon <e>', 'privacy budget of this query, split across the sensitive columns', positiveNumber)
    .option('--delta <d>', 'delta for estimating a categorical domain from the data (default 1e-6)', positiveNumber)
    .option('--sensitive <columns>', 'columns to protect with differential privacy', listOption)
    .option('--bounds <column=lo:hi>', 'public bounds of a sensitive numeric column (repeatable)', listOption)
    .option('--domain <column=a,b,c>', 'public categories of a sensitive categorical column (repeatable)', repeatOption)
    .option('--timeout <ms>', 'statement timeout', integerOption(1), 300000)
    .option('-o, --out <file>', 'write the rows as CSV here (default: stdout)')
    .option('--metadata <file>', 'write the query metadata (JSON) here')
    .option('--audit-log <file>', 'audit log (JSON lines, hash-chained)')
    .option('--ledger <file>', 'privacy budget ledger')
    .option(
      '--budget <epsilon>',
      'refuse (exit 5) a query that would take this table past this cumulative epsilon',
      positiveNumber,
    )
    .option('--dry-run', 'print the SQL and the privacy accounting without reading rows')
    .option('--verify-audit <file>', 'check the hash chain of an audit log and exit');
  return withCommonOptions(command).action(async (options: SampleDbOptions, cmd: Command) => {
    setExit(await runSampleDb(io, options, cmd.getOptionValueSource('seed') === 'cli'));
  });
}

async function runSampleDb(io: Io, options: SampleDbOptions, seeded: boolean): Promise<number> {
  const console = new Console(io, options);
  if (options.verifyAudit) return verify(console, options);
  if (!options.client) throw usageError('--client is required', `Choose one of ${CLIENTS.join(', ')}.`);
  if (!options.table) throw usageError('--table is required', 'Name the table to sample.');
  if (options.json && !options.out && !options.dryRun)
    throw usageError('--json prints the metadata on stdout, so the rows need -o FILE');
  const client = parseClient(options.client);
  const password = client === 'sqlite' ? undefined : await resolvePassword(io, options, !options.dryRun);
  const sslCa = options.sslCa
    ? await readFile(options.sslCa, 'utf8').catch(() =>
        Promise.reject(inputError(`cannot read --ssl-ca ${options.sslCa}`)),
      )
    : undefined;
  const state = stateDir(io.env);
  const request = {
    connection: {
      client,
      connection: options.connection,
      host: options.host,
      port: options.port,
      database: options.database,
      user: options.user,
      password,
      ssl: options.ssl,
      sslCa,
    },
    table: options.table,
    columns: options.columns,
    fraction: options.fraction,
    seed: seeded ? options.seed : undefined,
    limit: options.limit,
    epsilon: options.epsilon,
    delta: options.delta,
    sensitive: options.sensitive ?? [],
    bounds: parseBounds(options.bounds ?? []),
    domains: parseDomains(options.domain ?? []),
    timeoutMs: options.timeout,
    auditLog: options.auditLog ?? join(state, 'audit.jsonl'),
    ledger: options.ledger ?? join(state, 'budget-ledger.json'),
    budget: options.budget,
    dryRun: options.dryRun,
    user: userInfo().username,
  };
  const { sampleDb } = await import('../privacy/db/sample-db.js'); // knex and the drivers, only for this command
  const { sink, finish, abandon } = rowSink(io, options.out);
  let result;
  try {
    result = await sampleDb(request, sink);
    await finish();
  } catch (error) {
    await abandon();
    throw error;
  }
  const json = `${JSON.stringify(result.metadata, null, 2)}\n`;
  if (options.metadata) await writeFileAtomic(options.metadata, json);
  if (options.json) console.data(json);
  else if (options.dryRun) console.data(`${result.sql}\n${json}`);
  else
    console.info(
      `sampled ${String(result.metadata.rows)} rows from ${options.table}${options.out ? ` into ${options.out}` : ''}; audit log ${request.auditLog}`,
    );
  return 0;
}

/** Rows go to stdout, or to a temporary file renamed over -o FILE only when the whole sample is written. */
function rowSink(
  io: Io,
  out: string | undefined,
): { sink: RowSink; finish: () => Promise<void>; abandon: () => Promise<void> } {
  if (!out || out === '-')
    return {
      sink: { write: (text) => void io.stdout.write(text) },
      finish: async () => undefined,
      abandon: async () => undefined,
    };
  const temporary = `${out}.${process.pid}.tmp`;
  const stream = createWriteStream(temporary);
  const sink: RowSink = {
    write: (text) =>
      stream.write(text) ? undefined : new Promise<void>((resolve) => stream.once('drain', () => resolve())),
  };
  const closed = () =>
    new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return {
    sink,
    finish: async () => {
      await closed();
      await rename(temporary, out);
    },
    abandon: async () => {
      await closed().catch(() => undefined);
      await rm(temporary, { force: true });
    },
  };
}

async function verify(console: Console, options: SampleDbOptions): Promise<number> {
  const result = await verifyAudit(options.verifyAudit!);
  if (options.json) console.data(JSON.stringify(result));
  if (!result.ok)
    throw new GesalpError(
      'input',
      `${options.verifyAudit}: line ${result.badLine}: ${result.reason}`,
      'The log was altered after it was written: keep this copy as evidence and restore the original from backup.',
    );
  if (!options.json) console.data(`${options.verifyAudit}: ${result.lines} lines, hash chain intact`);
  return 0;
}
