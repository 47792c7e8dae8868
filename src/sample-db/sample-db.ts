/**
 * gesalp sample-db as a library call: check that the audit log can take a line, check the request,
 * check it against the catalogue (a view resolved to the tables it reads), plan the privacy spend,
 * reserve it in the ledger on every table read (refusing before reading anything if a budget
 * would be passed), stream the sampled rows through the mechanisms into the sink, then turn the
 * reservation into a spend and log the query. Every refusal and failure after the audit log is
 * known to be usable is logged too, from structured fields, with the password redacted from the
 * free text of error messages.
 */
import knexFactory, { type Knex } from 'knex';
import { optionError } from '../core/errors.js';
import { auditedRun } from './audit/audited-run.js';
import {
  budgetRecord,
  commitReservation,
  DEFAULT_DELTA_BUDGET,
  releaseReservation,
  reserveBudget,
  type Reserved,
  type TargetIdentity,
} from './ledger/budget-ledger.js';
import { baseTables, type BaseTables } from './base-tables.js';
import { catalogueTable, pickColumns, type CatalogueColumn } from './catalogue.js';
import { columnFigures, type ColumnFigures } from './column-figures.js';
import { describeTarget, knexConfig, sqliteFile, type ConnectionSpec } from './connection.js';
import { databaseErrors } from './database-errors.js';
import { estimateMissing } from './estimate-missing.js';
import { looksLikeIdentifier, planPrivacy, type PrivacyPlan } from './privacy-plan.js';
import { privacyReport } from './privacy-report.js';
import { checkRequest } from './request-checks.js';
import { streamSample } from './stream-sample.js';
import {
  checkOpenedFile,
  resolveSqliteFile,
  serverIdentity,
  sqliteIdentity,
  tableIdentity,
  type SqliteFile,
} from './target-identity.js';
import { queryFingerprint, sampleQuery } from './sample-query.js';

export interface SampleDbRequest {
  readonly connection: ConnectionSpec;
  readonly table: string;
  readonly columns?: readonly string[];
  readonly fraction: number;
  readonly seed?: number;
  readonly limit?: number;
  readonly epsilon?: number;
  readonly delta?: number;
  readonly sensitive: readonly string[];
  readonly bounds: Record<string, [number, number]>;
  readonly domains: Record<string, string[]>;
  /** Release the rows as stored (nothing privatised): an explicit choice, recorded. */
  readonly raw?: boolean;
  /** Clamp each released numeric value to its bounds after the noise (post-processing: no charge). */
  readonly clamp?: boolean;
  readonly timeoutMs: number;
  /** Prefix text cells a spreadsheet would run as a formula with a quote. */
  readonly excelSafe?: boolean;
  readonly auditLog: string;
  /** HMAC key of a keyed audit chain. */
  readonly auditKey?: Buffer;
  readonly ledger: string;
  readonly budget?: number;
  /** Cumulative delta per target (default 1e-6). */
  readonly deltaBudget?: number;
  /** A public lower bound on the table's rows: what amplification by sampling is accounted for. */
  readonly minRows?: number;
  readonly dryRun?: boolean;
  /** Aborted (Ctrl-C): streaming stops, the rows already written are charged and the stop is logged. */
  readonly signal?: AbortSignal;
  /** Who ran it, for the audit log. */
  readonly user: string;
  /** Where the database driver's own log messages go (shown with --debug). */
  readonly driverLog?: (message: string) => void;
}

export interface RowSink {
  write(text: string): void | Promise<void>;
}

export interface SampleDbResult {
  readonly metadata: Record<string, unknown>;
  readonly sql: string;
  /** Things the user should know (a raw identifier column, say). */
  readonly warnings: string[];
  /** What each sensitive column's mechanism does (column-lines.ts words them); none for a raw release. */
  readonly columns: ColumnFigures[];
}

export async function sampleDb(request: SampleDbRequest, sink: RowSink): Promise<SampleDbResult> {
  return auditedRun(request, async ({ audit, named, onFailure }) => {
    checkRequest(request);
    const sqlite =
      request.connection.client === 'sqlite' ? await resolveSqliteFile(sqliteFile(request.connection)) : undefined;
    // SQLite opens the path resolved above, and each connection checks it opened that very file.
    const spec = sqlite ? { ...request.connection, connection: sqlite.real, database: undefined } : request.connection;
    const knex = knexFactory(knexConfig(spec, request.driverLog, sqlite ? () => checkOpenedFile(sqlite) : undefined));
    try {
      return await sampleWith(knex, request, sink, {
        audit,
        sqlite,
        named: (qualified, fingerprint) => {
          named(qualified);
          onFailure({ query_fingerprint: fingerprint });
        },
      });
    } finally {
      await knex.destroy();
    }
  });
}

interface Hooks {
  readonly audit: (entry: Record<string, unknown>) => Promise<string>;
  /** The SQLite file as resolved and opened. */
  readonly sqlite?: SqliteFile;
  /** Tells the caller the catalogue's name of the table and the query fingerprint, for the log. */
  readonly named: (qualified: string, fingerprint: string) => void;
}

async function sampleWith(knex: Knex, request: SampleDbRequest, sink: RowSink, hooks: Hooks): Promise<SampleDbResult> {
  const client = request.connection.client;
  const catalogue = await databaseErrors(() => catalogueTable(knex, client, request.table), request.connection);
  const columns = pickColumns(catalogue.columns, request.columns, request.table);
  const plan = planPrivacy({ ...request, seeded: request.seed !== undefined, columns });
  const database = hooks.sqlite
    ? sqliteIdentity(hooks.sqlite)
    : await databaseErrors(() => serverIdentity(knex, client as 'pg' | 'mysql'), request.connection);
  const own = tableIdentity(database, catalogue);
  // A privatised release is charged to every stored table it reads: a view's base tables.
  const bases: BaseTables | null = plan
    ? await databaseErrors(() => baseTables(knex, client, catalogue), request.connection)
    : null;
  if (bases && !bases.resolved)
    throw optionError(
      'input',
      'table',
      `cannot tell which stored tables ${catalogue.qualified} reads: ${bases.why}, so its budget cannot be charged`,
      'Sample the tables it reads instead, or release it as stored with {raw} (nothing privatised, nothing charged).',
      ['raw'],
    );
  const charged: TargetIdentity[] = bases?.resolved ? bases.tables.map((t) => tableIdentity(database, t)) : [own];
  const clientSampled = plan?.amplification.applied === true;
  const query = sampleQuery(knex, client, {
    table: catalogue.qualified,
    columns: columns.map((c) => c.name),
    // Amplification's coins are drawn in the client, from the CSPRNG: the database reads every row.
    fraction: clientSampled ? 1 : request.fraction,
    seed: request.seed,
    limit: request.limit,
  });
  const sql = query.toSQL().sql;
  const fingerprint = queryFingerprint(query);
  hooks.named(catalogue.qualified, fingerprint);
  const base = {
    query_fingerprint: fingerprint,
    sql,
    target: describeTarget(request.connection),
    target_key: own.key,
    charged_keys: plan ? charged.map((c) => c.key) : [],
    ...(bases?.resolved && bases.view
      ? { view: { base_tables: bases.tables.map((t) => `${t.schema}.${t.name}`) } }
      : {}),
    table: catalogue.qualified,
    columns: columns.map((c) => c.name),
    fraction: request.fraction,
    sampler: samplerName(client, request, clientSampled),
    seed: request.seed ?? null,
    limit: request.limit ?? null,
    release: plan ? 'privatised' : 'raw',
    raw_columns: plan ? plan.rawColumns : columns.map((c) => c.name),
  };
  const warnings = identifierWarnings(columns, plan);
  // Before estimation (a dry run) estimated bounds and domains are absent, and the figures say so.
  const figures = () => (plan ? plan.columns.map(columnFigures) : []);
  if (request.dryRun)
    return { sql, warnings, columns: figures(), metadata: { ...base, dry_run: true, privacy: privacyReport(plan) } };
  const started = new Date();
  const limits = { epsilon: request.budget, delta: request.deltaBudget ?? DEFAULT_DELTA_BUDGET };
  const reserved: Reserved | undefined = plan
    ? await reserveBudget(
        request.ledger,
        charged,
        { epsilon: plan.effectiveEpsilon, delta: plan.effectiveDelta },
        limits,
        fingerprint,
        started,
      )
    : undefined;
  let streamed: { rows: number; formulas: number };
  // Once a row line has left (the first line is the header), the release happened: a failure after
  // that is still charged, as is a refusal that tells something about the table read.
  let lines = 0;
  const counted: RowSink = {
    write: (text) => {
      lines++;
      return sink.write(text);
    },
  };
  try {
    streamed = await databaseErrors(async () => {
      if (plan) await estimateMissing(knex, catalogue.qualified, plan);
      return streamSample(knex, client, query, columns, plan, counted, {
        timeoutMs: request.timeoutMs,
        excelSafe: request.excelSafe ?? false,
        signal: request.signal,
        clientSample: clientSampled ? { q: request.fraction, minRows: plan!.amplification.minRows! } : undefined,
      });
    }, request.connection);
  } catch (error) {
    const readTable = (error as { readTable?: boolean }).readTable === true;
    if (reserved && (lines > 1 || readTable)) await commitReservation(request.ledger, reserved.id);
    else if (reserved) await releaseReservation(request.ledger, reserved.id);
    throw error;
  }
  const rows = streamed.rows;
  if (streamed.formulas && !request.excelSafe)
    warnings.push(
      `${streamed.formulas} cells start like a spreadsheet formula (=, +, -, @); excel-safe output prefixes them with '`,
    );
  const after = reserved ? await commitReservation(request.ledger, reserved.id) : undefined;
  const finished = new Date();
  const metadata = {
    ...base,
    rows,
    privacy: privacyReport(plan),
    budget: reserved && after ? budgetRecord(reserved, after, limits) : null,
    started_at: started.toISOString(),
    finished_at: finished.toISOString(),
    duration_s: (finished.getTime() - started.getTime()) / 1000,
  };
  await hooks.audit({
    event: 'sample',
    query_fingerprint: fingerprint,
    target_key: own.key,
    charged_keys: base.charged_keys,
    sql,
    columns: base.columns,
    fraction: request.fraction,
    sampler: base.sampler,
    seed: request.seed ?? null,
    rows,
    release: base.release,
    raw_columns: base.raw_columns,
    privacy: metadata.privacy,
    budget: metadata.budget,
  });
  return { sql, metadata, warnings, columns: figures() };
}

/** How the rows were sampled, for the metadata: amplification needs the client's CSPRNG coins. */
function samplerName(client: string, request: SampleDbRequest, clientSampled: boolean): string {
  if (request.fraction >= 1) return 'none: every row';
  if (clientSampled) return 'client: a CSPRNG coin per row';
  if (request.seed !== undefined) return `${client}: seeded, repeatable with the recorded seed`;
  return client === 'sqlite'
    ? 'sqlite: a CSPRNG coin per row, in a SQL function'
    : `${client}: the server's own random generator (not cryptographic)`;
}

function identifierWarnings(columns: readonly CatalogueColumn[], plan: PrivacyPlan | null): string[] {
  const raw = plan ? plan.rawColumns : columns.map((c) => c.name);
  return raw
    .filter(looksLikeIdentifier)
    .map(
      (name) =>
        `column '${name}' looks like an identifier and is released as stored: it shows who was sampled${plan ? ', so no amplification by sampling is claimed' : ''}`,
    );
}
