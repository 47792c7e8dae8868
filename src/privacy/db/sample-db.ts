/**
 * gesalp sample-db as a library call: check the request, check it against the catalogue, plan the
 * privacy spend, reserve it in the ledger (refusing before reading anything if the budget would be
 * passed), stream the sampled rows through the mechanisms into the sink, then turn the reservation
 * into a spend and log the query. Every refusal and failure after the audit log is known to be
 * usable is logged too.
 */
import knexFactory, { type Knex } from 'knex';
import { GesalpError } from '../../core/errors.js';
import { anchorPathFor } from '../audit-anchor.js';
import { checkAuditLogPath } from '../audit-file.js';
import { appendAudit, checkAuditKeying } from '../audit-log.js';
import { commitReservation, releaseReservation, reserveBudget, type Reserved } from '../budget-ledger.js';
import { catalogueTable, pickColumns, type CatalogueColumn } from './catalogue.js';
import { describeTarget, knexConfig, sqliteFile, type ConnectionSpec } from './connection.js';
import { databaseErrors } from './database-errors.js';
import { estimateMissing } from './estimate-missing.js';
import { looksLikeIdentifier, planPrivacy, type PrivacyPlan } from './privacy-plan.js';
import { privacyReport } from './privacy-report.js';
import { checkRequest } from './request-checks.js';
import { streamSample } from './stream-sample.js';
import { targetIdentity } from './target-identity.js';
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
  readonly timeoutMs: number;
  /** Prefix text cells a spreadsheet would run as a formula with a quote. */
  readonly excelSafe?: boolean;
  readonly auditLog: string;
  /** HMAC key of a keyed audit chain. */
  readonly auditKey?: Buffer;
  readonly ledger: string;
  readonly budget?: number;
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
}

export async function sampleDb(request: SampleDbRequest, sink: RowSink): Promise<SampleDbResult> {
  await checkAuditLogPath(request.auditLog);
  await checkAuditKeying(request.auditLog, anchorPathFor(request.ledger), request.auditKey);
  let target: string = request.connection.client;
  let table = request.table;
  let fingerprint: string | undefined;
  const audit = (entry: Record<string, unknown>) =>
    appendAudit(
      request.auditLog,
      { at: new Date().toISOString(), user: request.user, target, table, ...entry },
      {
        secrets: [request.connection.password ?? ''],
        key: request.auditKey,
        anchor: { file: anchorPathFor(request.ledger), lock: request.ledger },
      },
    );
  try {
    target = describeTarget(request.connection);
    checkRequest(request);
    const knex = knexFactory(knexConfig(request.connection, request.driverLog));
    try {
      return await sampleWith(knex, request, sink, {
        audit,
        named: (qualified, fp) => {
          table = qualified;
          fingerprint = fp;
        },
      });
    } finally {
      await knex.destroy();
    }
  } catch (error) {
    const refused = error instanceof GesalpError && ['usage', 'input', 'budget'].includes(error.kind);
    await audit({
      event: refused ? 'refused' : 'failed',
      ...(fingerprint ? { query_fingerprint: fingerprint } : {}),
      exit_code: error instanceof GesalpError ? error.exitCode : 1,
      reason: error instanceof Error ? error.message : String(error),
    });
    throw error;
  }
}

interface Hooks {
  readonly audit: (entry: Record<string, unknown>) => Promise<string>;
  /** Tells the caller the catalogue's name of the table and the query fingerprint, for the log. */
  readonly named: (qualified: string, fingerprint: string) => void;
}

async function sampleWith(knex: Knex, request: SampleDbRequest, sink: RowSink, hooks: Hooks): Promise<SampleDbResult> {
  const client = request.connection.client;
  const catalogue = await databaseErrors(() => catalogueTable(knex, client, request.table), request.connection);
  const columns = pickColumns(catalogue.columns, request.columns, request.table);
  const plan = planPrivacy({ ...request, seeded: request.seed !== undefined, columns });
  const identity = await databaseErrors(
    () =>
      targetIdentity(
        knex,
        client,
        client === 'sqlite' ? sqliteFile(request.connection) : undefined,
        catalogue.qualified,
      ),
    request.connection,
  );
  const query = sampleQuery(knex, client, {
    table: catalogue.qualified,
    columns: columns.map((c) => c.name),
    fraction: request.fraction,
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
    target_key: identity.key,
    table: catalogue.qualified,
    columns: columns.map((c) => c.name),
    fraction: request.fraction,
    seed: request.seed ?? null,
    limit: request.limit ?? null,
    release: plan ? 'privatised' : 'raw',
    raw_columns: plan ? plan.rawColumns : columns.map((c) => c.name),
  };
  const warnings = identifierWarnings(columns, plan);
  if (request.dryRun) return { sql, warnings, metadata: { ...base, dry_run: true, privacy: privacyReport(plan) } };
  const cost = plan?.effectiveEpsilon ?? 0;
  const started = new Date();
  const reserved: Reserved | undefined =
    cost > 0 ? await reserveBudget(request.ledger, identity, cost, request.budget, fingerprint, started) : undefined;
  let streamed: { rows: number; formulas: number };
  // Once a row line has left (the first line is the header), the release happened: a failure after
  // that is still charged.
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
      });
    }, request.connection);
  } catch (error) {
    if (reserved && lines > 1) await commitReservation(request.ledger, reserved.id);
    else if (reserved) await releaseReservation(request.ledger, reserved.id);
    throw error;
  }
  const rows = streamed.rows;
  if (streamed.formulas && !request.excelSafe)
    warnings.push(
      `${streamed.formulas} cells start like a spreadsheet formula (=, +, -, @); excel-safe output prefixes them with '`,
    );
  const spentAfter = reserved ? await commitReservation(request.ledger, reserved.id) : undefined;
  const finished = new Date();
  const metadata = {
    ...base,
    rows,
    privacy: privacyReport(plan),
    budget:
      reserved !== undefined
        ? { limit: request.budget ?? null, spent_before: reserved.spentBefore, spent_after: spentAfter ?? null }
        : null,
    started_at: started.toISOString(),
    finished_at: finished.toISOString(),
    duration_s: (finished.getTime() - started.getTime()) / 1000,
  };
  await hooks.audit({
    event: 'sample',
    query_fingerprint: fingerprint,
    target_key: identity.key,
    sql,
    columns: base.columns,
    fraction: request.fraction,
    seed: request.seed ?? null,
    rows,
    release: base.release,
    raw_columns: base.raw_columns,
    privacy: metadata.privacy,
    budget: metadata.budget,
  });
  return { sql, metadata, warnings };
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
