/**
 * sample-db as a library call: rows sampled from a database table, the sensitive columns under
 * differential privacy, charged to a budget ledger and logged in a tamper-evident audit log.
 * `gesalp sample-db` is this call plus its flags, password prompt and files.
 */
import { userInfo } from 'node:os';
import type { ConnectionSpec } from '../sample-db/connection.js';
import type { RowSink, SampleDbResult } from '../sample-db/sample-db.js';
import type { ApiHooks } from './hooks.js';

export type { SampleDbResult } from '../sample-db/sample-db.js';
export type { ColumnFigures, LaplaceFigures, ResponseFigures } from '../sample-db/column-figures.js';
export { columnWords, type ColumnWords, type OptionName } from '../sample-db/column-lines.js';

/** The database's address and credentials; `ssl_ca`: the CA certificate's contents (PEM). */
export type DatabaseConnection = Omit<ConnectionSpec, 'sslCa'> & { readonly ssl_ca?: string };

export interface SampleDbOptions {
  readonly connection: DatabaseConnection;
  readonly table: string;
  readonly columns?: readonly string[];
  /** Bernoulli sampling rate, pushed down to the database (default 1). */
  readonly fraction?: number;
  readonly seed?: number;
  readonly limit?: number;
  /** Privatise the sensitive columns under this epsilon (the Laplace mechanism, or randomized response). */
  readonly epsilon?: number;
  readonly delta?: number;
  readonly sensitive?: readonly string[];
  /** Public bounds of numeric sensitive columns. */
  readonly bounds?: Readonly<Record<string, readonly [number, number]>>;
  /** Public category lists of categorical sensitive columns. */
  readonly domains?: Readonly<Record<string, readonly string[]>>;
  /** Release the rows as stored (nothing privatised): an explicit choice, recorded. */
  readonly raw?: boolean;
  /**
   * Clamp each released numeric value to its bounds (declared, or as estimated and released) after
   * the noise: post-processing, so it costs no privacy; it biases means towards the middle.
   */
  readonly clamp?: boolean;
  /** Statement timeout (default 300,000 ms). */
  readonly timeout_ms?: number;
  readonly excel_safe?: boolean;
  readonly audit_log: string;
  /** HMAC key of a keyed audit chain. */
  readonly audit_key?: Buffer;
  readonly ledger: string;
  /** The most epsilon every query on this table may spend together. */
  readonly budget?: number;
  readonly delta_budget?: number;
  /** A public lower bound on the table's rows, for amplification by sampling. */
  readonly min_rows?: number;
  readonly dry_run?: boolean;
  /** Who runs it, for the audit log (default: the operating system's user). */
  readonly user?: string;
}

export type SampleDbHooks = ApiHooks & {
  /** The database driver's own log messages. */
  readonly driverLog?: (message: string) => void;
};

/** Samples into `sink` (CSV text); aborting the signal stops between rows, and what was released is charged. */
export async function sampleDb(
  options: SampleDbOptions,
  sink: RowSink,
  hooks: SampleDbHooks = {},
): Promise<SampleDbResult> {
  const { sampleDb: sample } = await import('../sample-db/sample-db.js'); // knex and the drivers, only here
  const { ssl_ca: sslCa, ...connection } = options.connection;
  return sample(
    {
      connection: { ...connection, sslCa },
      table: options.table,
      columns: options.columns,
      fraction: options.fraction ?? 1,
      seed: options.seed,
      limit: options.limit,
      epsilon: options.epsilon,
      delta: options.delta,
      sensitive: options.sensitive ?? [],
      bounds: Object.fromEntries(Object.entries(options.bounds ?? {}).map(([k, [lo, hi]]) => [k, [lo, hi]])),
      domains: Object.fromEntries(Object.entries(options.domains ?? {}).map(([k, v]) => [k, [...v]])),
      raw: options.raw,
      clamp: options.clamp,
      timeoutMs: options.timeout_ms ?? 300_000,
      excelSafe: options.excel_safe,
      auditLog: options.audit_log,
      auditKey: options.audit_key,
      ledger: options.ledger,
      budget: options.budget,
      deltaBudget: options.delta_budget,
      minRows: options.min_rows,
      dryRun: options.dry_run,
      signal: hooks.signal,
      user: options.user ?? userInfo().username,
      driverLog: hooks.driverLog,
    },
    sink,
  );
}
