/**
 * generate from a database table as a library call: AIM fitted on counts the database computes
 * (only aggregates over public or DP-released bins leave it), synthetic rows returned (or written
 * to `out`), the run charged to sample-db's budget ledger and every statistics query written to its
 * audit log. Past CHUNK_ROWS rows the rows are written a chunk at a time to `out` (or the `rows`
 * hook) in constant memory, and the result holds the first chunk alone, as generate's does.
 * `gesalp generate --client pg|mysql|sqlite --connection URL --table T --method aim` is this call
 * plus its flags (src/commands/database-source-flags.ts).
 */
import { userInfo } from 'node:os';
import { lazyAtomicFile } from '../core/io/atomic-write.js';
import { checkOutputPaths } from '../core/io/output-guard.js';
import type { TableMetadata } from '../core/schema/metadata.js';
import type { Table } from '../core/table.js';
import type { AimParams } from '../models/aim/space.js';
import type { FitSummary } from '../models/synthesizer.js';
import type { SqlQuery } from '../statistics/sql.js';
import type { ApiHooks } from './hooks.js';
import type { DatabaseConnection } from './sample-db.js';

export interface GenerateFromDatabaseOptions {
  readonly connection: DatabaseConnection;
  readonly table: string;
  /** Columns to model (default: all), checked against the catalogue. */
  readonly columns?: readonly string[];
  /** Only 'aim' (the neural methods train on rows: sample them with sampleDb first). */
  readonly method?: string;
  readonly params?: Partial<AimParams>;
  /** Rows to sample (default: the model's estimate of the table's rows, a DP quantity under DP). */
  readonly rows?: number;
  readonly epsilon?: number;
  /** Default 1e-7, so that ten runs fit the ledger's default delta budget per table. */
  readonly delta?: number;
  /** The metadata file: each column's kind and bounds or categories (all of them under DP). */
  readonly metadata?: TableMetadata;
  readonly seed?: number;
  /** Statement timeout of each query (default 300,000 ms). */
  readonly timeout_ms?: number;
  readonly audit_log: string;
  readonly audit_key?: Buffer;
  readonly ledger: string;
  readonly budget?: number;
  readonly delta_budget?: number;
  readonly user?: string;
  /** Write the rows to this CSV file, whole or not at all (a temporary file renamed into place once every row is in). */
  readonly out?: string;
  /** Prefix cells that start like a spreadsheet formula with '. */
  readonly excel_safe?: boolean;
}

export type GenerateFromDatabaseHooks = ApiHooks & {
  readonly driverLog?: (message: string) => void;
  /** Each statistics query as sent, with the cells its answer held. */
  readonly onQuery?: (query: SqlQuery, cells: number) => void;
  /**
   * Past CHUNK_ROWS rows without `out`: the rows as CSV text, the header first, then chunk after
   * chunk as each is sampled (awaited before the next); fewer rows come back whole in `csv`.
   */
  readonly rows?: (text: string) => void | Promise<void>;
};

export interface GenerateFromDatabaseOutput {
  /** The synthetic rows; when `streamed`, the first chunk alone. */
  readonly table: Table;
  /** The synthetic rows as CSV ('' when `streamed`). */
  readonly csv: string;
  /** True when the rows were more than CHUNK_ROWS and went to `out` (or the `rows` hook) a chunk at a time. */
  readonly streamed: boolean;
  readonly training: FitSummary;
  /** What was read, charged and released: the audit log's last line says the same. */
  readonly metadata: Record<string, unknown>;
}

export async function generateFromDatabase(
  options: GenerateFromDatabaseOptions,
  hooks: GenerateFromDatabaseHooks = {},
): Promise<GenerateFromDatabaseOutput> {
  // knex, the drivers and the model, only here.
  const { generateFromDatabase: generate } = await import('../pipeline/database-generate.js');
  const { ssl_ca: sslCa, ...connection } = options.connection;
  // Before any budget is reserved: an output that could not be written would waste it (the CLI checks the same).
  if (options.out)
    await checkOutputPaths(
      [
        { role: 'ledger', path: options.ledger },
        { role: 'audit_log', path: options.audit_log },
      ],
      [{ role: 'out', path: options.out }],
      process.cwd(),
    );
  // The rows' file, created at its first write: renamed into place once every row is in, removed on failure.
  const out = options.out ? lazyAtomicFile(options.out) : undefined;
  const rowsSink = out ?? (hooks.rows ? { write: hooks.rows } : undefined);
  try {
    const result = await generate({
      connection: { ...connection, sslCa },
      table: options.table,
      columns: options.columns,
      method: options.method ?? 'aim',
      params: options.params,
      rows: options.rows,
      epsilon: options.epsilon,
      delta: options.delta,
      metadata: options.metadata,
      seed: options.seed ?? 0,
      timeoutMs: options.timeout_ms ?? 300_000,
      auditLog: options.audit_log,
      auditKey: options.audit_key,
      ledger: options.ledger,
      budget: options.budget,
      deltaBudget: options.delta_budget,
      user: options.user ?? userInfo().username,
      signal: hooks.signal,
      driverLog: hooks.driverLog,
      onQuery: hooks.onQuery,
      rowsSink,
      excelSafe: options.excel_safe,
    });
    const streamed = result.output.chunkRows !== null;
    if (out) {
      if (!streamed) await out.write(result.csv);
      await out.commit();
    }
    return { table: result.table, csv: result.csv, streamed, training: result.training, metadata: result.metadata };
  } finally {
    // Not committed: the rows written so far go with their temporary file (nothing at `out` changes).
    await out?.abort();
  }
}
